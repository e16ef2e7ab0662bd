package io.qmp4j.vm.internal;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.vm.VmOperationException;
import io.qmp4j.vm.VmTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The steps of one operation, run in order; when a step fails, the undo actions of the steps
 * before it run in reverse order, and the operation fails with a {@link VmOperationException}
 * naming the failed step and what was undone. Undo failures are attached as suppressed
 * exceptions, never hide the original failure, and are named in the message. Each step runs
 * only while the deadline has not passed. Not thread-safe: build it, then {@link #run()} once.
 */
public final class Plan {
    private final String operation;
    private final Deadline deadline;
    private final List<Step> steps = new ArrayList<>();

    private record Step(String name, Supplier<CompletableFuture<?>> action, Undo undo) {
    }

    /** How to undo a step: a description, the action, and which failures of it mean "already gone". */
    public record Undo(String name, Supplier<CompletableFuture<?>> action, Predicate<Throwable> alreadyGone) {
    }

    /** A plan for {@code operation} (e.g. {@code plug NIC nic1}) that must finish by {@code deadline}. */
    public Plan(String operation, Deadline deadline) {
        this.operation = operation;
        this.deadline = deadline;
    }

    /** Adds a step with no undo. */
    public Plan step(String name, Supplier<CompletableFuture<?>> action) {
        return step(name, action, null);
    }

    /** Adds a step and how to undo it should a later step fail. */
    public Plan step(String name, Supplier<CompletableFuture<?>> action, Undo undo) {
        steps.add(new Step(name, action, undo));
        return this;
    }

    /** An undo that treats a {@link QmpCommandException} whose text contains {@code goneText} as done. */
    public static Undo undo(String name, Supplier<CompletableFuture<?>> action, String goneText) {
        return new Undo(name, action, e -> goneText != null && e instanceof QmpCommandException c
                && c.description().contains(goneText));
    }

    /** Runs the steps; the future completes when all ran, or fails after the rollback. */
    public CompletableFuture<Void> run() {
        return runFrom(0);
    }

    private CompletableFuture<Void> runFrom(int i) {
        if (i == steps.size()) {
            return CompletableFuture.completedFuture(null);
        }
        Step step = steps.get(i);
        CompletableFuture<?> done;
        if (deadline.expired()) {
            done = CompletableFuture.failedFuture(new VmTimeoutException(operation + ": the operation's "
                    + deadline.total().toMillis() + " ms ran out before " + step.name(), deadline.total()));
        } else {
            try {
                done = step.action().get();
            } catch (RuntimeException e) { // found before sending: still undo the earlier steps
                done = CompletableFuture.failedFuture(e);
            }
        }
        // Only this step's own failure leads to rollback here; later steps roll back themselves.
        return done.handle((v, e) -> e).thenCompose(e -> e == null ? runFrom(i + 1)
                : rollback(i - 1, step.name(), Async.unwrap(e), new ArrayList<>(), new ArrayList<>()));
    }

    private CompletableFuture<Void> rollback(int i, String failed, Throwable cause, List<String> undone,
            List<Throwable> undoFailures) {
        if (i < 0) {
            return CompletableFuture.failedFuture(failure(failed, cause, undone, undoFailures));
        }
        Undo undo = steps.get(i).undo();
        if (undo == null) {
            return rollback(i - 1, failed, cause, undone, undoFailures);
        }
        CompletableFuture<?> f;
        try {
            f = undo.action().get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, e) -> e).thenCompose(e -> {
            Throwable t = e == null ? null : Async.unwrap(e);
            if (t == null || undo.alreadyGone().test(t)) {
                undone.add(undo.name());
            } else {
                undoFailures.add(t);
            }
            return rollback(i - 1, failed, cause, undone, undoFailures);
        });
    }

    private VmOperationException failure(String failed, Throwable cause, List<String> undone,
            List<Throwable> undoFailures) {
        StringBuilder m = new StringBuilder(operation).append(": ").append(failed).append(" failed: ")
                .append(cause.getMessage());
        if (cause instanceof QmpTimeoutException t && t.wasSent()) {
            m.append(" (QEMU may still carry it out: check before retrying)");
        }
        m.append(undone.isEmpty() ? "; nothing to undo" : "; undone: " + String.join(", ", undone));
        if (!undoFailures.isEmpty()) {
            m.append("; UNDO FAILED, may be left behind:");
            for (Throwable t : undoFailures) {
                m.append(' ').append(t.getMessage()).append(';');
            }
        }
        VmOperationException e = new VmOperationException(m.toString(), operation, failed, undone, cause);
        undoFailures.forEach(e::addSuppressed);
        return e;
    }
}
