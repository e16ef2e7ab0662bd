package io.qmp4j.vm.internal;

import io.qmp4j.QmpException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Helpers for the futures every operation is built from. */
public final class Async {
    /** Added to an operation's own deadline when a caller thread waits, to guard against a lost completion. */
    private static final Duration GUARD = Duration.ofSeconds(5);

    private Async() {
    }

    /**
     * Caller thread: waits for {@code future}, which completes by {@code timeout} on its own,
     * and rethrows its failure as the {@link QmpException} it is (with this caller's stack).
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.plus(GUARD).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new QmpException("operation did not complete within " + timeout.plus(GUARD).toMillis()
                    + " ms (its own deadline is " + timeout.toMillis() + " ms; is a qmp4j I/O thread blocked?)");
        } catch (CancellationException e) {
            throw new QmpException("the operation was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for QEMU (commands may have been sent)", e);
        }
    }

    private static QmpException rethrow(Throwable cause) {
        Throwable t = unwrap(cause);
        if (t instanceof QmpException q) {
            q.fillInStackTrace();
            return q;
        }
        return new QmpException("unexpected failure: " + t, t);
    }

    /** The real failure inside {@link CompletionException}/{@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * {@code future}, failed with {@code onTimeout} if it has not completed within {@code timeout}.
     * The returned future completes on whichever thread gets there first.
     */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration timeout,
            Supplier<? extends QmpException> onTimeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (e == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(unwrap(e));
            }
        });
        result.orTimeout(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        return result.exceptionallyCompose(e -> {
            Throwable t = unwrap(e);
            return CompletableFuture.failedFuture(t instanceof TimeoutException ? onTimeout.get() : t);
        });
    }

    /** A future that completes with {@code null} after {@code delay}. */
    public static CompletableFuture<Void> delay(Duration delay) {
        Executor later = CompletableFuture.delayedExecutor(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, later);
    }

    /** A failed future, for errors found before anything was sent. */
    public static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
