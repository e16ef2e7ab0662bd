package io.qmp4j.qga;

import java.util.Objects;

/**
 * One address of a guest network interface.
 *
 * @param type    {@code ipv4} or {@code ipv6}
 * @param address the address, for example {@code 10.0.2.15}
 * @param prefix  the prefix length, for example {@code 24}
 */
public record QgaIpAddress(String type, String address, int prefix) {
    /** Checks that the parts are present. */
    public QgaIpAddress {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
    }
}
