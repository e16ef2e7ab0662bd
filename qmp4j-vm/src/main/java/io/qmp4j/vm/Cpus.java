package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.vm.internal.Async;
import io.qmp4j.vm.internal.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** vCPU hot-plug; from {@link QemuVm#cpus()}. Needs QEMU started with {@code -smp N,maxcpus=M}. Thread-safe. */
public final class Cpus {
    private final QemuVm vm;

    Cpus(QemuVm vm) {
        this.vm = vm;
    }

    /** Every vCPU slot, plugged or free. Sends {@code {"execute":"query-hotpluggable-cpus"}}. */
    public List<HotpluggableCpu> slots() {
        return Async.await(slotsAsync(), vm.timeout());
    }

    /** See {@link #slots()}. */
    public CompletableFuture<List<HotpluggableCpu>> slotsAsync() {
        return vm.require(VmCapability.CPU_HOTPLUG, "CPU hot-plug")
                .thenCompose(v -> vm.call("query-hotpluggable-cpus", null, vm.deadline()))
                .thenApply(Cpus::parse);
    }

    private static List<HotpluggableCpu> parse(JsonNode slots) {
        List<HotpluggableCpu> out = new ArrayList<>();
        for (JsonNode s : slots) {
            out.add(new HotpluggableCpu(s.path("type").asText(), s.path("props").deepCopy(),
                    s.path("vcpus-count").asInt(1), s.hasNonNull("qom-path") ? s.path("qom-path").asText() : null));
        }
        return List.copyOf(out);
    }

    /**
     * Plugs a vCPU with device id {@code id} into the first free slot: sends
     * {@code {"execute":"query-hotpluggable-cpus"}}, then
     * {@code {"execute":"device_add","arguments":{"driver":TYPE,"id":ID,"socket-id":S,"core-id":C,"thread-id":T}}}
     * with the slot's own properties.
     *
     * @return the slot used
     * @throws VmOperationException when no slot is free (nothing plugged) or device_add failed
     */
    public HotpluggableCpu plug(String id) {
        return Async.await(plugAsync(id), vm.timeout());
    }

    /** See {@link #plug(String)}. */
    public CompletableFuture<HotpluggableCpu> plugAsync(String id) {
        Objects.requireNonNull(id, "id");
        Deadline d = vm.deadline();
        return slotsAsync().thenCompose(slots -> {
            HotpluggableCpu free = slots.stream().filter(s -> !s.plugged()).findFirst().orElse(null);
            if (free == null) {
                return Async.failed(new VmOperationException("plug CPU " + id + ": no free vCPU slot (all "
                        + slots.size() + " plugged; start QEMU with a larger -smp maxcpus)", "plug CPU " + id,
                        "query-hotpluggable-cpus", List.of(), null));
            }
            ObjectNode args = QemuVm.JSON.createObjectNode().put("driver", free.type()).put("id", id);
            args.setAll((ObjectNode) free.props());
            return vm.qmp().executeAsync("device_add", args, d.remaining())
                    .exceptionallyCompose(e -> Async.failed(new VmOperationException("plug CPU " + id
                            + ": device_add failed: " + Async.unwrap(e).getMessage() + "; nothing to undo",
                            "plug CPU " + id, "device_add", List.of(), Async.unwrap(e))))
                    .thenApply(r -> free);
        });
    }

    /**
     * Unplugs vCPU {@code id}: {@code device_del} and {@code DEVICE_DELETED}, as
     * {@link QemuVm#deleteDevice(String)}; only a guest OS can release a CPU, so without one it times out.
     */
    public void unplug(String id) {
        vm.deleteDevice(id);
    }

    /** See {@link #unplug(String)}. */
    public CompletableFuture<Void> unplugAsync(String id) {
        return vm.deleteDeviceAsync(id);
    }
}
