package io.qmp4j.vm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One vCPU slot from {@code query-hotpluggable-cpus}.
 *
 * @param type       the device type to {@code device_add} (e.g. {@code qemu64-x86_64-cpu})
 * @param props      the slot's location ({@code socket-id}, {@code core-id}, {@code thread-id}, ...), passed to device_add
 * @param vcpusCount how many vCPUs the slot holds
 * @param qomPath    the plugged CPU's QOM path, or null when the slot is free
 */
public record HotpluggableCpu(String type, JsonNode props, int vcpusCount, String qomPath) {

    /** Whether a CPU occupies this slot. */
    public boolean plugged() {
        return qomPath != null;
    }
}
