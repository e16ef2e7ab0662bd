package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import io.qmp4j.vm.internal.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Disk hot-plug and unplug; from {@link QemuVm#disks()}. Thread-safe. */
public final class Disks {
    private final QemuVm vm;

    Disks(QemuVm vm) {
        this.vm = vm;
    }

    /** The {@code opaque} note on a disk's fd set, by which {@link #unplug} finds it: {@code qmp4j disk ID}. */
    public static String fdsetNote(String deviceId) {
        return "qmp4j disk " + deviceId;
    }

    /**
     * Hot-plugs a disk. Checks {@link VmCapability#DISK_HOTPLUG} (and {@link VmCapability#FD_SETS}
     * for an fd) and the device type, then sends, in order:
     * <ol>
     * <li>only for an fd: {@code {"execute":"add-fd","arguments":{"opaque":"qmp4j disk ID"}}} with the fd
     *     attached; the image is then {@code /dev/fdset/N}</li>
     * <li>{@code {"execute":"blockdev-add","arguments":{"driver":FORMAT,"node-name":NODE,"read-only":RO,
     *     "file":{"driver":"file","filename":PATH}}}}</li>
     * <li>{@code {"execute":"device_add","arguments":{"driver":DRIVER,"id":ID,"drive":NODE,"bus":BUS,
     *     "addr":"0xSLOT"}}} (bus, addr only when set)</li>
     * </ol>
     * If a step fails, the earlier ones are undone: {@code blockdev-del}, then
     * {@code remove-fd} of the set.
     *
     * @throws VmOperationException   a step failed; its cause is QEMU's error
     * @throws VmUnsupportedException this QEMU cannot do it; nothing was sent
     */
    public PluggedDisk plug(DiskSpec spec) {
        return Async.await(plugAsync(spec), vm.timeout());
    }

    /** See {@link #plug(DiskSpec)}; an fd in the spec must stay open until the future completes. */
    public CompletableFuture<PluggedDisk> plugAsync(DiskSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Deadline d = vm.deadline();
        AtomicInteger fdset = new AtomicInteger(-1);
        Plan plan = new Plan("plug disk " + spec.id(), d);
        if (spec.fd() != null) {
            plan.step("add-fd", () -> vm.qmp().executeWithFdsAsync("add-fd",
                    Map.of("opaque", fdsetNote(spec.id())), spec.fd())
                            .thenAccept(r -> fdset.set(r.path("fdset-id").asInt())),
                    Plan.undo("remove-fd fdset", () -> vm.undo("remove-fd", Map.of("fdset-id", fdset.get())), null));
        }
        plan.step("blockdev-add " + spec.nodeName(), () -> vm.call("blockdev-add", QemuVm.args(
                "driver", spec.format(), "node-name", spec.nodeName(), "read-only", spec.readOnly(),
                "file", Map.of("driver", "file", "filename", spec.fd() != null ? "/dev/fdset/" + fdset.get()
                        : QemuVm.absolute(spec.file()).toString())), d),
                Plan.undo("blockdev-del " + spec.nodeName(),
                        () -> vm.undo("blockdev-del", Map.of("node-name", spec.nodeName())), null));
        plan.step("device_add " + spec.id(), () -> vm.call("device_add", QemuVm.args("driver", spec.driver(),
                "id", spec.id(), "drive", spec.nodeName(), "bus", spec.bus(),
                "addr", spec.slot() == null ? null : String.format("0x%02x", spec.slot())), d));
        CompletableFuture<Void> checks = vm.require(VmCapability.DISK_HOTPLUG, "disk hot-plug");
        if (spec.fd() != null) {
            checks = checks.thenCompose(v -> vm.require(VmCapability.FD_SETS, "disk hot-plug from an fd"));
        }
        return checks.thenCompose(v -> vm.requireDeviceType(spec.driver(), "disk hot-plug as " + spec.driver()))
                .thenCompose(v -> plan.run())
                .thenApply(v -> new PluggedDisk(spec.id(), spec.nodeName(), fdset.get() < 0 ? null : fdset.get()));
    }

    /**
     * Unplugs a disk: sends {@code {"execute":"device_del","arguments":{"id":ID}}}, waits for
     * {@code DEVICE_DELETED} of that device, then
     * {@code {"execute":"blockdev-del","arguments":{"node-name":NODE}}} and, for a disk from an fd,
     * {@code {"execute":"remove-fd","arguments":{"fdset-id":N}}} (the set is found with
     * {@code query-fdsets} by its note when {@code fdsetId} is null). A device that no longer
     * exists counts as unplugged. {@code scsi-hd} goes at once; {@code virtio-blk-pci} needs the
     * guest OS to release it, so without one this times out and the node stays.
     *
     * @throws VmTimeoutException no {@code DEVICE_DELETED} in time; device, node and fd set stay
     */
    public void unplug(PluggedDisk disk) {
        Async.await(unplugAsync(disk), vm.timeout());
    }

    /** See {@link #unplug(PluggedDisk)}. */
    public CompletableFuture<Void> unplugAsync(PluggedDisk disk) {
        Objects.requireNonNull(disk, "disk");
        Deadline d = vm.deadline();
        return vm.require(VmCapability.DISK_HOTPLUG, "disk unplug")
                .thenCompose(v -> vm.deleteDevice(disk.deviceId(), d, true, "block node " + disk.nodeName()))
                .thenCompose(v -> vm.call("blockdev-del", Map.of("node-name", disk.nodeName()), d))
                .thenCompose(v -> fdsets(disk, d))
                .thenCompose(sets -> {
                    CompletableFuture<?> all = CompletableFuture.completedFuture(null);
                    for (int set : sets) {
                        all = all.thenCompose(x -> vm.call("remove-fd", Map.of("fdset-id", set), d));
                    }
                    return all.thenApply(x -> null);
                });
    }

    private CompletableFuture<List<Integer>> fdsets(PluggedDisk disk, Deadline d) {
        if (disk.fdsetId() != null) {
            return CompletableFuture.completedFuture(List.of(disk.fdsetId()));
        }
        return vm.missingAsync(VmCapability.FD_SETS).thenCompose(missing -> !missing.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : vm.call("query-fdsets", null, d).thenApply(sets -> {
                    List<Integer> mine = new ArrayList<>();
                    for (JsonNode set : sets) {
                        for (JsonNode fd : set.path("fds")) {
                            if (fdsetNote(disk.deviceId()).equals(fd.path("opaque").asText(null))) {
                                mine.add(set.path("fdset-id").asInt());
                                break;
                            }
                        }
                    }
                    return mine;
                }));
    }
}
