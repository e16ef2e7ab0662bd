package io.qmp4j.qga;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One guest network interface, from {@code guest-network-get-interfaces}.
 *
 * @param name            the interface name, for example {@code eth0}
 * @param hardwareAddress the MAC address, or {@code null} (loopback reports {@code 00:00:00:00:00:00})
 * @param ipAddresses     its addresses, possibly none
 */
public record QgaNetworkInterface(String name, String hardwareAddress, List<QgaIpAddress> ipAddresses) {
    /** Copies the list. */
    public QgaNetworkInterface {
        Objects.requireNonNull(name, "name");
        ipAddresses = List.copyOf(ipAddresses);
    }

    static List<QgaNetworkInterface> listOf(JsonNode array) {
        List<QgaNetworkInterface> result = new ArrayList<>();
        for (JsonNode i : array) {
            List<QgaIpAddress> addresses = new ArrayList<>();
            for (JsonNode a : i.path("ip-addresses")) {
                addresses.add(new QgaIpAddress(a.path("ip-address-type").asText(), a.path("ip-address").asText(),
                        a.path("prefix").asInt()));
            }
            JsonNode mac = i.get("hardware-address");
            result.add(new QgaNetworkInterface(i.path("name").asText(), mac == null ? null : mac.asText(), addresses));
        }
        return List.copyOf(result);
    }
}
