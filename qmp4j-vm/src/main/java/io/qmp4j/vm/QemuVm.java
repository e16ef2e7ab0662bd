package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Capabilities;
import io.qmp4j.vm.internal.Deadline;
import io.qmp4j.vm.internal.EventWait;
import io.qmp4j.vm.internal.Introspection;
import io.qmp4j.vm.internal.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The operations a VM manager runs on one QEMU, each a small protocol of QMP commands and events
 * done right: checked against what QEMU supports before anything is sent, bounded by a timeout,
 * undone step by step when a later step fails, and waiting for the events QEMU promises
 * ({@code DEVICE_DELETED} before {@code netdev_del}/{@code blockdev-del}, {@code SHUTDOWN}).
 *
 * <pre>{@code
 * QemuVm vm = QemuVm.of(qmp);                                   // qmp: a connected QmpConnection
 * PluggedNic nic = vm.nics().plug(NicSpec.builder("nic1").mac("52:54:00:12:34:56").slot(5).build(), tapFd);
 * vm.nics().unplug(nic);                                        // device_del, DEVICE_DELETED, netdev_del
 * vm.withTimeout(Duration.ofMinutes(2)).powerdown(true);        // system_powerdown, SHUTDOWN or quit
 * }</pre>
 *
 * <p>Every operation comes in two forms: {@code op(...)} waits (at most {@link #timeout()}, then
 * a timeout exception) and {@code opAsync(...)} returns a future that completes by the same
 * deadline. Each method's Javadoc lists the exact QMP it sends. Sync methods must not be called
 * on a qmp4j I/O thread (inside a callback of an async future): use the async form there.
 * Passwords never appear in messages or logs. Immutable and thread-safe; {@link #withTimeout}
 * derives a copy with another deadline.
 *
 * <p>Failures: {@link VmOperationException} (a step failed; earlier steps undone),
 * {@link VmTimeoutException} (QEMU or the guest did not get there in time),
 * {@link VmUnsupportedException} (this QEMU lacks a command; nothing sent), and the core's
 * {@link io.qmp4j.QmpException} subclasses for single commands.
 */
public final class QemuVm {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long POLL_REPLY_MILLIS = 2000;

    private final QmpConnection qmp;
    private final Capabilities capabilities;
    private final Requirements requirements;
    private final Duration timeout;

    private QemuVm(QmpConnection qmp, Capabilities capabilities, Duration timeout) {
        this.qmp = qmp;
        this.capabilities = capabilities;
        this.requirements = new Requirements(capabilities);
        this.timeout = timeout;
    }

    /** A façade over {@code qmp}, which must be connected, with a 30 s timeout per operation. */
    public static QemuVm of(QmpConnection qmp) {
        Objects.requireNonNull(qmp, "qmp");
        return new QemuVm(qmp, new Introspection(qmp), DEFAULT_TIMEOUT);
    }

    /** A copy whose operations finish (or fail) within {@code timeout}; the capability cache is shared. */
    public QemuVm withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
        return new QemuVm(qmp, capabilities, timeout);
    }

    /** The time each operation may take (default 30 s), including waits for events. */
    public Duration timeout() {
        return timeout;
    }

    /** The connection this façade drives. */
    public QmpConnection connection() {
        return qmp;
    }

    /** NIC hot-plug and unplug. */
    public Nics nics() {
        return new Nics(this);
    }

    /** Disk hot-plug and unplug. */
    public Disks disks() {
        return new Disks(this);
    }

    /** PCI topology: devices, free slots. */
    public Pci pci() {
        return new Pci(this);
    }

    /** vCPU hot-plug. */
    public Cpus cpus() {
        return new Cpus(this);
    }

    /** The memory balloon. */
    public Balloon balloon() {
        return new Balloon(this);
    }

    /** Outgoing and incoming migration. */
    public Migration migration() {
        return new Migration(this);
    }

    /** Console passwords, screen dumps. */
    public Consoles consoles() {
        return new Consoles(this);
    }

    // ---- capabilities

    /** Whether this QEMU has every command {@code capability} needs ({@code query-commands}, asked once). */
    public boolean supports(VmCapability capability) {
        return Async.await(missingAsync(capability), timeout).isEmpty();
    }

    /** Whether NICs can be hot-plugged with a passed fd ({@link VmCapability#NIC_HOTPLUG}). */
    public boolean canHotplugNic() {
        return supports(VmCapability.NIC_HOTPLUG);
    }

    /** Whether disks can be hot-plugged ({@link VmCapability#DISK_HOTPLUG}). */
    public boolean canHotplugDisk() {
        return supports(VmCapability.DISK_HOTPLUG);
    }

    /** Whether vCPUs can be hot-plugged ({@link VmCapability#CPU_HOTPLUG}). */
    public boolean canHotplugCpu() {
        return supports(VmCapability.CPU_HOTPLUG);
    }

    /** The commands of {@code capability} this QEMU lacks (empty when supported). */
    public CompletableFuture<Set<String>> missingAsync(VmCapability capability) {
        return requirements.missingCommands(capability.commands());
    }

    /** Fails with {@link VmUnsupportedException} when {@code capability} is missing; sends nothing else. */
    CompletableFuture<Void> require(VmCapability capability, String what) {
        return requirements.commands(capability.commands(), what);
    }

    /** Fails with {@link VmUnsupportedException} when QEMU has no device type {@code type}. */
    CompletableFuture<Void> requireDeviceType(String type, String what) {
        return requirements.deviceType(type, what);
    }

    /** Fails with {@link VmUnsupportedException} when {@code command} has no argument {@code argument}. */
    CompletableFuture<Void> requireArgument(String command, String argument, String what) {
        return requirements.argument(command, argument, what);
    }

    // ---- run state

    /** The run state. Sends {@code {"execute":"query-status"}}. */
    public VmStatus status() {
        return Async.await(statusAsync(), timeout);
    }

    /** See {@link #status()}. */
    public CompletableFuture<VmStatus> statusAsync() {
        return call("query-status", null, deadline()).thenApply(r -> new VmStatus(r.path("status").asText(),
                r.path("running").asBoolean()));
    }

    /** Pauses the vCPUs. Sends {@code {"execute":"stop"}}; QEMU emits {@code STOP}. */
    public void stop() {
        Async.await(stopAsync(), timeout);
    }

    /** See {@link #stop()}. */
    public CompletableFuture<Void> stopAsync() {
        return call("stop", null, deadline()).thenApply(r -> null);
    }

    /** Resumes the vCPUs (also starts a VM begun with {@code -S}). Sends {@code {"execute":"cont"}}; QEMU emits {@code RESUME}. */
    public void cont() {
        Async.await(contAsync(), timeout);
    }

    /** See {@link #cont()}. */
    public CompletableFuture<Void> contAsync() {
        return call("cont", null, deadline()).thenApply(r -> null);
    }

    /** Hard-resets the machine. Sends {@code {"execute":"system_reset"}}; QEMU emits {@code RESET}. */
    public void reset() {
        Async.await(resetAsync(), timeout);
    }

    /** See {@link #reset()}. */
    public CompletableFuture<Void> resetAsync() {
        return call("system_reset", null, deadline()).thenApply(r -> null);
    }

    /**
     * Asks the guest to power off and waits for it: sends {@code {"execute":"system_powerdown"}}
     * (an ACPI power-button press) and waits for the {@code SHUTDOWN} event for the rest of
     * {@link #timeout()} (so use {@link #withTimeout} to give the guest time). If it does not
     * come and {@code forceQuit}, sends {@code {"execute":"quit"}} (QEMU exits; the connection
     * closes). A guest without ACPI support, or no guest OS at all, ignores the button.
     *
     * @return how the VM went down
     * @throws VmTimeoutException when no {@code SHUTDOWN} came and {@code forceQuit} is false;
     *         the VM still runs
     */
    public PowerdownResult powerdown(boolean forceQuit) {
        return Async.await(powerdownAsync(forceQuit), timeout.plusSeconds(5));
    }

    /** See {@link #powerdown(boolean)}. */
    public CompletableFuture<PowerdownResult> powerdownAsync(boolean forceQuit) {
        Deadline d = deadline();
        EventWait shutdown = EventWait.register(qmp, EventFilter.named("SHUTDOWN"));
        CompletableFuture<PowerdownResult> result = call("system_powerdown", null, d)
                .thenCompose(r -> Async.within(shutdown.event(), d.remaining(), () -> new VmTimeoutException(
                        "powerdown: no SHUTDOWN within " + timeout.toMillis() + " ms after system_powerdown: the guest"
                                + " ignored the ACPI power button (no guest OS running, or it lacks ACPI support)"
                                + (forceQuit ? "" : "; the VM still runs"), timeout)))
                .thenApply(e -> PowerdownResult.GUEST_SHUTDOWN)
                .exceptionallyCompose(e -> forceQuit && Async.unwrap(e) instanceof VmTimeoutException
                        ? quitAsync().thenApply(v -> PowerdownResult.FORCED_QUIT) : Async.failed(Async.unwrap(e)));
        return result.whenComplete((v, e) -> shutdown.cancel());
    }

    /**
     * Ends QEMU at once. Sends {@code {"execute":"quit"}}; QEMU answers, emits {@code SHUTDOWN}
     * and closes the connection. A connection closed before the reply arrived counts as success.
     */
    public void quit() {
        Async.await(quitAsync(), timeout);
    }

    /** See {@link #quit()}. */
    public CompletableFuture<Void> quitAsync() {
        return call("quit", null, deadline()).handle((r, e) -> {
            Throwable t = e == null ? null : Async.unwrap(e);
            if (t != null && !(t instanceof QmpConnectionClosedException)) {
                throw new java.util.concurrent.CompletionException(t);
            }
            return null;
        });
    }

    /**
     * Runs a human monitor command for anything not covered here and returns its text. Sends
     * {@code {"execute":"human-monitor-command","arguments":{"command-line":LINE}}}.
     */
    public String hmp(String commandLine) {
        return Async.await(hmpAsync(commandLine), timeout);
    }

    /** See {@link #hmp(String)}. */
    public CompletableFuture<String> hmpAsync(String commandLine) {
        Objects.requireNonNull(commandLine, "commandLine");
        return call("human-monitor-command", Map.of("command-line", commandLine), deadline())
                .thenApply(JsonNode::asText);
    }

    // ---- devices

    /**
     * Removes device {@code id} and waits until QEMU has: sends
     * {@code {"execute":"device_del","arguments":{"id":ID}}} and waits for
     * {@code DEVICE_DELETED} with {@code data.device == ID}. A device already being unplugged is
     * waited for again. USB and SCSI devices go at once; a PCI device only when the guest OS
     * ejects it (ACPI hot-plug), so without a guest OS this times out. A
     * {@code DEVICE_UNPLUG_GUEST_ERROR} for the device (the guest refused) ends the wait at once.
     *
     * @throws VmOperationException when the guest refused the unplug
     * @throws VmTimeoutException when {@code DEVICE_DELETED} did not come in time; the unplug
     *         stays pending in QEMU
     */
    public void deleteDevice(String id) {
        Async.await(deleteDeviceAsync(id), timeout);
    }

    /** See {@link #deleteDevice(String)}. */
    public CompletableFuture<Void> deleteDeviceAsync(String id) {
        return deleteDevice(id, deadline(), false, "nothing else");
    }

    /**
     * device_del, then DEVICE_DELETED; {@code missingOk}: a device that does not exist counts as
     * deleted; {@code leftInPlace} says what the caller keeps if it times out.
     */
    CompletableFuture<Void> deleteDevice(String id, Deadline d, boolean missingOk, String leftInPlace) {
        Objects.requireNonNull(id, "id");
        EventWait deleted = EventWait.register(qmp, EventFilter.named("DEVICE_DELETED", "DEVICE_UNPLUG_GUEST_ERROR")
                .whereData("device", id));
        return call("device_del", Map.of("id", id), d)
                .thenApply(r -> true)
                .exceptionallyCompose(e -> {
                    Throwable t = Async.unwrap(e);
                    if (alreadyUnplugging(t)) {
                        return CompletableFuture.completedFuture(true);
                    }
                    if (missingOk && t instanceof QmpCommandException c && c.errorClass().equals("DeviceNotFound")) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return Async.failed(t);
                })
                .thenCompose(exists -> !exists ? CompletableFuture.completedFuture(null)
                        : Async.within(deleted.event(), d.remaining(), () -> new VmTimeoutException(
                        "device " + id + ": no DEVICE_DELETED within " + d.total().toMillis() + " ms after device_del:"
                                + " the guest did not release it (a PCI device is released only by the guest OS's"
                                + " ACPI hot-plug handler, so never when no guest OS runs). The unplug stays pending"
                                + " in QEMU; left in place: " + leftInPlace, d.total())))
                .whenComplete((v, e) -> deleted.cancel())
                .thenCompose(e -> e == null || e.name().equals("DEVICE_DELETED") ? CompletableFuture.completedFuture(null)
                        : Async.failed(new VmOperationException("device " + id + ": the guest refused the unplug"
                                + " (DEVICE_UNPLUG_GUEST_ERROR); the device stays; left in place: " + leftInPlace,
                                "unplug " + id, "device_del", List.of(), null)));
    }

    private static boolean alreadyUnplugging(Throwable t) {
        return t instanceof QmpCommandException c && c.description().contains("already in the process of unplug");
    }

    /**
     * Whether a device with id {@code id} exists: a PCI device with that {@code qdev_id}
     * ({@code query-pci}), a block device attached to it ({@code query-block}), or any device
     * QEMU lists under {@code /machine/peripheral} ({@code qom-list}), such as a SCSI disk or a CPU.
     */
    public boolean hasDevice(String id) {
        return Async.await(hasDeviceAsync(id), timeout);
    }

    /** See {@link #hasDevice(String)}. */
    public CompletableFuture<Boolean> hasDeviceAsync(String id) {
        Objects.requireNonNull(id, "id");
        Deadline d = deadline();
        CompletableFuture<Boolean> pci = pci().devicesAsync().thenApply(l -> l.stream()
                .anyMatch(p -> id.equals(p.qdevId())));
        CompletableFuture<Boolean> block = call("query-block", null, d).thenApply(blocks -> {
            for (JsonNode b : blocks) {
                String qdev = b.path("qdev").asText("");
                if (qdev.equals(id) || qdev.startsWith("/machine/peripheral/" + id + "/")
                        || qdev.equals("/machine/peripheral/" + id)) {
                    return true;
                }
            }
            return false;
        });
        CompletableFuture<Boolean> qom = call("qom-list", Map.of("path", "/machine/peripheral"), d).thenApply(l -> {
            for (JsonNode p : l) {
                if (id.equals(p.path("name").asText())) {
                    return true;
                }
            }
            return false;
        });
        return pci.thenCombine(block, Boolean::logicalOr).thenCombine(qom, Boolean::logicalOr);
    }

    // ---- plumbing for the operation classes

    Deadline deadline() {
        return Deadline.in(timeout);
    }

    QmpConnection qmp() {
        return qmp;
    }

    /** Sends {@code command} with {@code arguments} (null for none), its reply due by {@code d}. */
    CompletableFuture<JsonNode> call(String command, Map<String, ?> arguments, Deadline d) {
        try {
            return qmp.executeAsync(command, arguments == null ? null : JSON.valueToTree(arguments), d.remaining());
        } catch (RuntimeException e) { // closed, not connected: fail the future, like every other failure
            return Async.failed(e);
        }
    }

    /**
     * Sends a polling query ({@code query-migrate}, {@code query-balloon}) inside a wait: its own
     * timeout is the connection's, at most {@value #POLL_REPLY_MILLIS} ms, so that the wait's
     * deadline (not a query squeezed into its last millisecond) decides when the wait is over.
     */
    CompletableFuture<JsonNode> poll(String command) {
        Duration t = qmp.commandTimeout().toMillis() < POLL_REPLY_MILLIS ? qmp.commandTimeout()
                : Duration.ofMillis(POLL_REPLY_MILLIS);
        return call(command, null, Deadline.in(t));
    }

    /** Sends an undo command with the connection's own command timeout (the operation's may have run out). */
    CompletableFuture<JsonNode> undo(String command, Map<String, ?> arguments) {
        return call(command, arguments, Deadline.in(qmp.commandTimeout()));
    }

    /** An ordered argument map that leaves out null values. */
    static Map<String, Object> args(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return m;
    }

    static Path absolute(Path file) {
        return Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    @Override
    public String toString() {
        return "QemuVm[" + qmp.address() + ", timeout " + timeout.toMillis() + " ms]";
    }
}
