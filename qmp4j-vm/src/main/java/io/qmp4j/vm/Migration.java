package io.qmp4j.vm;

import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Live migration, both sides; from {@link QemuVm#migration()}. The destination QEMU is started
 * with {@code -incoming defer} and told where to listen with {@link #incoming(String)}; the source
 * then {@link #migrate(String, Consumer)}s to the same URI (for example {@code unix:/run/vm1.mig}).
 * Thread-safe.
 */
public final class Migration {
    /** How often progress is read from {@code query-migrate} while waiting (and at every {@code MIGRATION} event). */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static final System.Logger LOG = System.getLogger("io.qmp4j.vm");

    private final QemuVm vm;

    Migration(QemuVm vm) {
        this.vm = vm;
    }

    /**
     * Sets migration capabilities. Sends {@code {"execute":"migrate-set-capabilities","arguments":
     * {"capabilities":[{"capability":NAME,"state":BOOL},...]}}}; e.g. {@code events},
     * {@code xbzrle}, {@code auto-converge}, {@code postcopy-ram}.
     */
    public void setCapabilities(Map<String, Boolean> capabilities) {
        Async.await(setCapabilitiesAsync(capabilities), vm.timeout());
    }

    /** See {@link #setCapabilities(Map)}. */
    public CompletableFuture<Void> setCapabilitiesAsync(Map<String, Boolean> capabilities) {
        List<Map<String, Object>> list = new ArrayList<>();
        capabilities.forEach((k, v) -> list.add(Map.of("capability", k, "state", v)));
        Deadline d = vm.deadline();
        return vm.require(VmCapability.MIGRATION, "migration")
                .thenCompose(v -> vm.call("migrate-set-capabilities", Map.of("capabilities", list), d))
                .thenApply(r -> null);
    }

    /**
     * Sets migration parameters. Sends {@code {"execute":"migrate-set-parameters","arguments":PARAMS}};
     * e.g. {@code max-bandwidth} (bytes/s), {@code downtime-limit} (ms).
     */
    public void setParameters(Map<String, ?> parameters) {
        Async.await(setParametersAsync(parameters), vm.timeout());
    }

    /** See {@link #setParameters(Map)}. */
    public CompletableFuture<Void> setParametersAsync(Map<String, ?> parameters) {
        Deadline d = vm.deadline();
        return vm.require(VmCapability.MIGRATION, "migration")
                .thenCompose(v -> vm.call("migrate-set-parameters", parameters, d)).thenApply(r -> null);
    }

    /** The current state. Sends {@code {"execute":"query-migrate"}}. */
    public MigrationProgress progress() {
        return Async.await(progressAsync(), vm.timeout());
    }

    /** See {@link #progress()}. */
    public CompletableFuture<MigrationProgress> progressAsync() {
        return vm.call("query-migrate", null, vm.deadline()).thenApply(MigrationProgress::of);
    }

    /**
     * Destination side: listens for the incoming migration on {@code uri}. Sends
     * {@code {"execute":"migrate-set-capabilities",...events...}} then
     * {@code {"execute":"migrate-incoming","arguments":{"uri":URI}}}; QEMU must have been started
     * with {@code -incoming defer}.
     */
    public void incoming(String uri) {
        Async.await(incomingAsync(uri), vm.timeout());
    }

    /** See {@link #incoming(String)}. */
    public CompletableFuture<Void> incomingAsync(String uri) {
        Objects.requireNonNull(uri, "uri");
        Deadline d = vm.deadline();
        return setCapabilitiesAsync(Map.of("events", true))
                .thenCompose(v -> vm.call("migrate-incoming", Map.of("uri", uri), d)).thenApply(r -> null);
    }

    /**
     * Source side: migrates to {@code uri} and waits until it completes. Sends
     * {@code {"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"events","state":true}]}}},
     * {@code {"execute":"migrate","arguments":{"uri":URI}}}, then {@code query-migrate} every
     * {@link #POLL_INTERVAL} and at every {@code MIGRATION} event, handing each state to
     * {@code listener} (on a qmp4j or pool thread: it must not block). When the time runs out
     * first, sends {@code {"execute":"migrate_cancel"}} so that the VM does not end up running on
     * both sides or neither.
     *
     * @return the final state, {@code completed}
     * @throws VmOperationException when the migration failed or was cancelled (QEMU's reason in the message)
     * @throws VmTimeoutException   when it did not complete in time; it was cancelled
     */
    public MigrationProgress migrate(String uri, Consumer<MigrationProgress> listener) {
        return Async.await(migrateAsync(uri, listener), vm.timeout().plusSeconds(5));
    }

    /** See {@link #migrate(String, Consumer)}. */
    public CompletableFuture<MigrationProgress> migrateAsync(String uri, Consumer<MigrationProgress> listener) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(listener, "listener");
        Deadline d = vm.deadline();
        return setCapabilitiesAsync(Map.of("events", true))
                .thenCompose(v -> vm.call("migrate", Map.of("uri", uri), d))
                .thenCompose(v -> watch("migration to " + uri, listener, d, true));
    }

    /**
     * Destination side: waits until the incoming migration has completed, handing each state to
     * {@code listener}; polls {@code query-migrate} as {@link #migrate} does.
     *
     * @throws VmOperationException when it failed
     * @throws VmTimeoutException   when it did not complete in time
     */
    public MigrationProgress awaitIncoming(Consumer<MigrationProgress> listener) {
        return Async.await(awaitIncomingAsync(listener), vm.timeout());
    }

    /** See {@link #awaitIncoming(Consumer)}. */
    public CompletableFuture<MigrationProgress> awaitIncomingAsync(Consumer<MigrationProgress> listener) {
        return watch("incoming migration", Objects.requireNonNull(listener, "listener"), vm.deadline(), false);
    }

    /** Stops an outgoing migration. Sends {@code {"execute":"migrate_cancel"}}. */
    public void cancel() {
        Async.await(cancelAsync(), vm.timeout());
    }

    /** See {@link #cancel()}. */
    public CompletableFuture<Void> cancelAsync() {
        return vm.call("migrate_cancel", null, vm.deadline()).thenApply(r -> null);
    }

    private CompletableFuture<MigrationProgress> watch(String what, Consumer<MigrationProgress> listener, Deadline d,
            boolean cancelOnTimeout) {
        AtomicReference<CompletableFuture<Void>> wake = new AtomicReference<>(new CompletableFuture<>());
        EventSubscription events = vm.qmp().onEvent(EventFilter.named("MIGRATION"), e -> wake.get().complete(null));
        return poll(what, listener, d, cancelOnTimeout, wake).whenComplete((v, e) -> events.close());
    }

    private CompletableFuture<MigrationProgress> poll(String what, Consumer<MigrationProgress> listener, Deadline d,
            boolean cancelOnTimeout, AtomicReference<CompletableFuture<Void>> wake) {
        wake.set(new CompletableFuture<>());
        return vm.poll("query-migrate").thenApply(MigrationProgress::of).thenCompose(p -> {
            try {
                listener.accept(p);
            } catch (RuntimeException e) { // the listener's bug must not abandon a running migration
                LOG.log(System.Logger.Level.WARNING, "migration progress listener threw on " + p.status(), e);
            }
            if (p.status().equals("completed")) {
                return CompletableFuture.completedFuture(p);
            }
            if (p.finished()) {
                return Async.failed(new VmOperationException(what + " " + p.status()
                        + (p.error() != null ? ": " + p.error() : ""), what, "migrate", List.of(), null));
            }
            if (d.expired()) {
                VmTimeoutException timeout = new VmTimeoutException(what + ": not completed within "
                        + d.total().toMillis() + " ms (status " + p.status() + ", " + p.remainingBytes()
                        + " bytes remaining)" + (cancelOnTimeout ? "; sent migrate_cancel" : ""), d.total());
                return cancelOnTimeout ? vm.undo("migrate_cancel", null).handle((r, e) -> null)
                        .thenCompose(x -> Async.failed(timeout)) : Async.failed(timeout);
            }
            return CompletableFuture.anyOf(Async.delay(POLL_INTERVAL), wake.get())
                    .thenCompose(x -> poll(what, listener, d, cancelOnTimeout, wake));
        });
    }
}
