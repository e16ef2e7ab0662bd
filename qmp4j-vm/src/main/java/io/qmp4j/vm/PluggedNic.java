package io.qmp4j.vm;

import java.util.Objects;

/**
 * A hot-plugged NIC: what {@link Nics#unplug(PluggedNic)} removes. A manager that keeps its own
 * records can rebuild one from the ids.
 *
 * @param deviceId the device id
 * @param netdevId the netdev id
 */
public record PluggedNic(String deviceId, String netdevId) {
    /** Validates the ids. */
    public PluggedNic {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(netdevId, "netdevId");
    }
}
