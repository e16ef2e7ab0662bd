package io.qmp4j.vm;

import io.qmp4j.QmpFd;
import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import io.qmp4j.vm.internal.Plan;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** NIC hot-plug and unplug; from {@link QemuVm#nics()}. Thread-safe. */
public final class Nics {
    private final QemuVm vm;

    Nics(QemuVm vm) {
        this.vm = vm;
    }

    /**
     * Hot-plugs a NIC backed by {@code fd} (a tap device, or a connected stream socket for
     * {@code backend("socket")}). Checks {@link VmCapability#NIC_HOTPLUG} and the model's device
     * type, then sends, in order:
     * <ol>
     * <li>{@code {"execute":"getfd","arguments":{"fdname":FDNAME}}} with {@code fd} attached (SCM_RIGHTS)</li>
     * <li>{@code {"execute":"netdev_add","arguments":{"type":"tap","id":NETDEV,"fd":FDNAME}}}</li>
     * <li>{@code {"execute":"device_add","arguments":{"driver":"virtio-net-pci","id":ID,"netdev":NETDEV,
     *     "mac":MAC,"bus":BUS,"addr":"0xSLOT"}}} (mac, bus, addr only when set)</li>
     * </ol>
     * If a step fails, the earlier ones are undone: {@code netdev_del} (which also closes the fd
     * it consumed), then {@code closefd} (a "not found" answer means netdev_add had consumed it).
     * QEMU keeps its own copy of the fd: close yours when this returns.
     *
     * @throws VmOperationException   a step failed; its cause is QEMU's error (bad slot, duplicate id, ...)
     * @throws VmUnsupportedException this QEMU cannot do it; nothing was sent
     */
    public PluggedNic plug(NicSpec spec, QmpFd fd) {
        return Async.await(plugAsync(spec, fd), vm.timeout());
    }

    /** See {@link #plug(NicSpec, QmpFd)}; {@code fd} must stay open until the future completes. */
    public CompletableFuture<PluggedNic> plugAsync(NicSpec spec, QmpFd fd) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(fd, "fd");
        Deadline d = vm.deadline();
        Plan plan = new Plan("plug NIC " + spec.id(), d)
                .step("getfd " + spec.fdName(),
                        () -> vm.qmp().executeWithFdsAsync("getfd", Map.of("fdname", spec.fdName()), fd),
                        Plan.undo("closefd " + spec.fdName(),
                                () -> vm.undo("closefd", Map.of("fdname", spec.fdName())), "not found"))
                .step("netdev_add " + spec.netdevId(),
                        () -> vm.call("netdev_add", QemuVm.args("type", spec.backend(), "id", spec.netdevId(),
                                "fd", spec.fdName()), d),
                        Plan.undo("netdev_del " + spec.netdevId(),
                                () -> vm.undo("netdev_del", Map.of("id", spec.netdevId())), "not found"))
                .step("device_add " + spec.id(), () -> vm.call("device_add", QemuVm.args("driver", spec.model(),
                        "id", spec.id(), "netdev", spec.netdevId(), "mac", spec.mac(), "bus", spec.bus(),
                        "addr", spec.slot() == null ? null : String.format("0x%02x", spec.slot())), d));
        return vm.require(VmCapability.NIC_HOTPLUG, "NIC hot-plug")
                .thenCompose(v -> vm.requireDeviceType(spec.model(), "NIC hot-plug of " + spec.model()))
                .thenCompose(v -> plan.run())
                .thenApply(v -> new PluggedNic(spec.id(), spec.netdevId()));
    }

    /**
     * Unplugs a NIC: sends {@code {"execute":"device_del","arguments":{"id":ID}}}, waits for
     * {@code DEVICE_DELETED} of that device (the guest has let go), then sends
     * {@code {"execute":"netdev_del","arguments":{"id":NETDEV}}}. A device that no longer exists
     * ({@code DeviceNotFound}) counts as unplugged, so a retry after a timeout finishes the job.
     * Without a guest OS a PCI NIC is never released: this then times out, and the netdev is
     * left in place (the guest may still use the device).
     *
     * @throws VmTimeoutException no {@code DEVICE_DELETED} in time; device and netdev stay
     */
    public void unplug(PluggedNic nic) {
        Async.await(unplugAsync(nic), vm.timeout());
    }

    /** See {@link #unplug(PluggedNic)}. */
    public CompletableFuture<Void> unplugAsync(PluggedNic nic) {
        Objects.requireNonNull(nic, "nic");
        Deadline d = vm.deadline();
        return vm.require(VmCapability.NIC_HOTPLUG, "NIC unplug")
                .thenCompose(v -> vm.deleteDevice(nic.deviceId(), d, true, "netdev " + nic.netdevId()
                        + " (the guest may still use the device; unplug again later)"))
                .thenCompose(v -> vm.call("netdev_del", Map.of("id", nic.netdevId()), d))
                .thenApply(r -> null);
    }
}
