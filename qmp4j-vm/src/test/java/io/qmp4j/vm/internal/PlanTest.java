package io.qmp4j.vm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpCommandException;
import io.qmp4j.vm.VmOperationException;
import io.qmp4j.vm.VmTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PlanTest {
    private final List<String> log = new ArrayList<>();

    private java.util.function.Supplier<CompletableFuture<?>> ok(String name) {
        return () -> {
            log.add(name);
            return CompletableFuture.completedFuture(null);
        };
    }

    private java.util.function.Supplier<CompletableFuture<?>> fails(String name, String desc) {
        return () -> {
            log.add(name);
            return CompletableFuture.failedFuture(new QmpCommandException(name, "GenericError", desc));
        };
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return Async.unwrap(f.handle((v, e) -> e).join());
    }

    @Test
    void allStepsRunInOrderAndNothingIsUndone() throws Exception {
        new Plan("op", Deadline.in(Duration.ofSeconds(5)))
                .step("a", ok("a"), Plan.undo("undo a", ok("undo a"), null))
                .step("b", ok("b"))
                .run().get(1, TimeUnit.SECONDS);
        assertThat(log).containsExactly("a", "b");
    }

    @Test
    void aFailedStepUndoesTheEarlierOnesInReverse() {
        CompletableFuture<Void> run = new Plan("plug x", Deadline.in(Duration.ofSeconds(5)))
                .step("a", ok("a"), Plan.undo("undo a", ok("undo a"), null))
                .step("b", ok("b"), Plan.undo("undo b", ok("undo b"), null))
                .step("c", fails("c", "boom"), Plan.undo("undo c", ok("undo c"), null))
                .step("d", ok("d"))
                .run();
        assertThat(failure(run)).isInstanceOfSatisfying(VmOperationException.class, e -> {
            assertThat(e.operation()).isEqualTo("plug x");
            assertThat(e.failedStep()).isEqualTo("c");
            assertThat(e.rolledBack()).containsExactly("undo b", "undo a");
        }).hasMessage("plug x: c failed: c: GenericError: boom; undone: undo b, undo a");
        assertThat(log).containsExactly("a", "b", "c", "undo b", "undo a");
    }

    @Test
    void anUndoThatFindsNothingCountsAsDoneAndOtherUndoFailuresAreKept() {
        CompletableFuture<Void> run = new Plan("op", Deadline.in(Duration.ofSeconds(5)))
                .step("a", ok("a"), Plan.undo("undo a", fails("undo a", "broken"), "not found"))
                .step("b", ok("b"), Plan.undo("undo b", fails("undo b", "fd 'x' not found"), "not found"))
                .step("c", fails("c", "boom"))
                .run();
        assertThat(failure(run)).isInstanceOfSatisfying(VmOperationException.class, e -> {
            assertThat(e.rolledBack()).containsExactly("undo b");
            assertThat(e.getSuppressed()).hasSize(1);
            assertThat(e.getCause()).hasMessageContaining("boom");
        }).hasMessageContaining("UNDO FAILED, may be left behind: undo a: GenericError: broken");
    }

    @Test
    void aStepThatThrowsBeforeSendingStillUndoesTheEarlierOnes() {
        CompletableFuture<Void> run = new Plan("op", Deadline.in(Duration.ofSeconds(5)))
                .step("a", ok("a"), Plan.undo("undo a", ok("undo a"), null))
                .step("b", () -> {
                    throw new IllegalStateException("not connected");
                })
                .run();
        assertThat(failure(run)).isInstanceOf(VmOperationException.class).hasMessageContaining("not connected");
        assertThat(log).containsExactly("a", "undo a");
    }

    @Test
    void noStepStartsAfterTheDeadline() {
        Deadline past = new Deadline(System.nanoTime() - 1, Duration.ofMillis(10));
        CompletableFuture<Void> run = new Plan("op", past).step("a", ok("a")).run();
        assertThat(failure(run)).isInstanceOf(VmOperationException.class)
                .hasCauseInstanceOf(VmTimeoutException.class)
                .hasMessageContaining("ran out before a");
        assertThat(log).isEmpty();
    }

    @Test
    void withinMapsTheTimeoutToTheGivenException() {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThatThrownBy(() -> Async.await(Async.within(never, Duration.ofMillis(20),
                () -> new VmTimeoutException("waited", Duration.ofMillis(20))), Duration.ofSeconds(1)))
                .isInstanceOf(VmTimeoutException.class).hasMessage("waited");
    }
}
