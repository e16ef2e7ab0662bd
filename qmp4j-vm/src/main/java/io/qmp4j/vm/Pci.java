package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.vm.internal.Async;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** PCI topology from {@code query-pci}; from {@link QemuVm#pci()}. Thread-safe. */
public final class Pci {
    /** Slots per PCI bus. */
    public static final int SLOTS = 32;

    private final QemuVm vm;

    Pci(QemuVm vm) {
        this.vm = vm;
    }

    /** Every PCI function, behind bridges too. Sends {@code {"execute":"query-pci"}}. */
    public List<PciDevice> devices() {
        return Async.await(devicesAsync(), vm.timeout());
    }

    /** See {@link #devices()}. */
    public CompletableFuture<List<PciDevice>> devicesAsync() {
        return vm.call("query-pci", null, vm.deadline()).thenApply(buses -> {
            List<PciDevice> out = new ArrayList<>();
            buses.forEach(bus -> collect(bus.path("devices"), out));
            return List.copyOf(out);
        });
    }

    private static void collect(JsonNode devices, List<PciDevice> out) {
        for (JsonNode d : devices) {
            out.add(new PciDevice(d.path("bus").asInt(), d.path("slot").asInt(), d.path("function").asInt(),
                    d.path("id").path("vendor").asInt(), d.path("id").path("device").asInt(),
                    d.path("class_info").path("class").asInt(), d.path("class_info").path("desc").asText(""),
                    d.path("qdev_id").asText("")));
            collect(d.path("pci_bridge").path("devices"), out);
        }
    }

    /**
     * The first free slot on bus 0 (Ganeti's rule: the first free of 32 slots on the first bus),
     * or empty when all are taken. Sends {@code {"execute":"query-pci"}}.
     */
    public OptionalInt freeSlot() {
        return freeSlot(0);
    }

    /** The first free slot at or above {@code from} on bus 0 (to skip slots a manager reserves). */
    public OptionalInt freeSlot(int from) {
        return Async.await(freeSlotAsync(from), vm.timeout());
    }

    /** See {@link #freeSlot(int)}. */
    public CompletableFuture<OptionalInt> freeSlotAsync(int from) {
        if (from < 0 || from >= SLOTS) {
            throw new IllegalArgumentException("slot must be 0.." + (SLOTS - 1) + ", got " + from);
        }
        return devicesAsync().thenApply(devices -> {
            BitSet used = new BitSet(SLOTS);
            devices.stream().filter(d -> d.bus() == 0).forEach(d -> used.set(d.slot()));
            int free = used.nextClearBit(from);
            return free < SLOTS ? OptionalInt.of(free) : OptionalInt.empty();
        });
    }
}
