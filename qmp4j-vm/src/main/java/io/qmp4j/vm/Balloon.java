package io.qmp4j.vm;

import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The memory balloon (a {@code virtio-balloon-pci} device and the guest's driver); from
 * {@link QemuVm#balloon()}. Sizes are guest RAM in bytes. Thread-safe.
 */
public final class Balloon {
    /** How often {@link #resize} asks {@code query-balloon} while waiting. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final QemuVm vm;

    Balloon(QemuVm vm) {
        this.vm = vm;
    }

    /**
     * The guest's current RAM as the balloon driver reports it. Sends
     * {@code {"execute":"query-balloon"}} and returns {@code actual}; fails with QEMU's
     * {@code DeviceNotActive} when there is no balloon device.
     */
    public long actualBytes() {
        return Async.await(actualBytesAsync(), vm.timeout());
    }

    /** See {@link #actualBytes()}. */
    public CompletableFuture<Long> actualBytesAsync() {
        return actual(vm.deadline());
    }

    private CompletableFuture<Long> actual(Deadline d) {
        return vm.require(VmCapability.BALLOON, "the memory balloon")
                .thenCompose(v -> vm.call("query-balloon", null, d))
                .thenApply(r -> r.path("actual").asLong());
    }

    /**
     * Sets the balloon's target without waiting: sends
     * {@code {"execute":"balloon","arguments":{"value":BYTES}}}. The guest's driver then gives
     * memory back (or takes it) at its own pace.
     */
    public void setTarget(long bytes) {
        Async.await(setTargetAsync(bytes), vm.timeout());
    }

    /** See {@link #setTarget(long)}. */
    public CompletableFuture<Void> setTargetAsync(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("balloon target must be > 0 bytes, got " + bytes);
        }
        Deadline d = vm.deadline();
        return vm.require(VmCapability.BALLOON, "the memory balloon")
                .thenCompose(v -> vm.call("balloon", Map.of("value", bytes), d)).thenApply(r -> null);
    }

    /**
     * Sets the target and waits until the guest is within {@code toleranceBytes} of it: sends
     * {@code balloon} as {@link #setTarget}, then {@code query-balloon} every
     * {@link #POLL_INTERVAL} until {@code actual} is close enough.
     *
     * @return the final {@code actual}
     * @throws VmTimeoutException when the guest did not get there in time (no guest OS or no
     *         virtio-balloon driver); the target stays set
     */
    public long resize(long bytes, long toleranceBytes) {
        return Async.await(resizeAsync(bytes, toleranceBytes), vm.timeout());
    }

    /** See {@link #resize(long, long)}. */
    public CompletableFuture<Long> resizeAsync(long bytes, long toleranceBytes) {
        if (toleranceBytes < 0) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + toleranceBytes);
        }
        Deadline d = vm.deadline();
        return setTargetAsync(bytes).thenCompose(v -> poll(bytes, toleranceBytes, d));
    }

    private CompletableFuture<Long> poll(long target, long tolerance, Deadline d) {
        return vm.poll("query-balloon").thenApply(r -> r.path("actual").asLong()).thenCompose(actual -> {
            if (Math.abs(actual - target) <= tolerance) {
                return CompletableFuture.completedFuture(actual);
            }
            if (d.expired()) {
                return Async.failed(new VmTimeoutException("balloon: actual " + actual / (1 << 20) + " MiB, target "
                        + target / (1 << 20) + " MiB (tolerance " + tolerance / (1 << 20) + " MiB) after "
                        + d.total().toMillis() + " ms: the guest did not follow (no guest OS, or no virtio-balloon"
                        + " driver in it); the target stays set", d.total()));
            }
            return Async.delay(POLL_INTERVAL).thenCompose(x -> poll(target, tolerance, d));
        });
    }
}
