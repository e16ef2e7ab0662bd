package io.qmp4j.vm;

import java.util.Objects;

/**
 * A hot-plugged disk: what {@link Disks#unplug(PluggedDisk)} removes. A manager that keeps its
 * own records can rebuild one from the ids.
 *
 * @param deviceId the device id
 * @param nodeName the block node's name
 * @param fdsetId  the fd set the image was passed in, or null (then unplug finds the disk's fd
 *                 sets by their {@code opaque} note, {@code qmp4j disk ID})
 */
public record PluggedDisk(String deviceId, String nodeName, Integer fdsetId) {
    /** Validates the ids. */
    public PluggedDisk {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(nodeName, "nodeName");
    }
}
