package io.qmp4j.vm;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What NIC to hot-plug: the device id, its model, MAC and PCI place, and the names used for the
 * netdev and the passed fd. Immutable; build with {@link #builder(String)}.
 *
 * @param id       the device id ({@code device_add id}); also the default netdev id
 * @param model    the device driver; default {@code virtio-net-pci}
 * @param mac      the MAC address ({@code 52:54:00:12:34:56}), or null for QEMU's choice
 * @param bus      the PCI bus ({@code pci.0} is the first on {@code -machine pc}), or null for QEMU's choice
 * @param slot     the PCI slot 0–31, or null for QEMU's choice (see {@link Pci#freeSlot()})
 * @param netdevId the netdev id ({@code netdev_add id}); default the device id
 * @param backend  the netdev type that takes the fd: {@code tap} (default) or {@code socket}
 * @param fdName   the name the fd is passed under ({@code getfd fdname}); default {@code fd-ID}
 */
public record NicSpec(String id, String model, String mac, String bus, Integer slot, String netdevId,
        String backend, String fdName) {
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    /** Validates the fields. */
    public NicSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(netdevId, "netdevId");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(fdName, "fdName");
        if (id.isBlank()) {
            throw new IllegalArgumentException("NIC id must not be blank");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("MAC must look like 52:54:00:12:34:56, got " + mac);
        }
        if (slot != null && (slot < 0 || slot > 31)) {
            throw new IllegalArgumentException("PCI slot must be 0..31, got " + slot);
        }
        if (!backend.equals("tap") && !backend.equals("socket")) {
            throw new IllegalArgumentException("backend must be tap or socket, got " + backend);
        }
    }

    /** A builder for the NIC with device id {@code id}, all else at its default. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds a {@link NicSpec}; each setter's default is stated on the record's components. */
    public static final class Builder {
        private final String id;
        private String model = "virtio-net-pci";
        private String mac;
        private String bus;
        private Integer slot;
        private String netdevId;
        private String backend = "tap";
        private String fdName;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /** The device driver; default {@code virtio-net-pci}. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The MAC address; default QEMU's choice. */
        public Builder mac(String mac) {
            this.mac = mac;
            return this;
        }

        /** The PCI bus id (e.g. {@code pci.0}); default QEMU's choice. */
        public Builder bus(String bus) {
            this.bus = bus;
            return this;
        }

        /** The PCI slot 0–31; default QEMU's choice. */
        public Builder slot(int slot) {
            this.slot = slot;
            return this;
        }

        /** The netdev id; default the device id. */
        public Builder netdevId(String netdevId) {
            this.netdevId = netdevId;
            return this;
        }

        /** The netdev type: {@code tap} (default) or {@code socket}. */
        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        /** The fd's name in QEMU; default {@code fd-ID}. */
        public Builder fdName(String fdName) {
            this.fdName = fdName;
            return this;
        }

        /** The spec; throws {@link IllegalArgumentException} naming a bad field. */
        public NicSpec build() {
            return new NicSpec(id, model, mac, bus, slot, netdevId != null ? netdevId : id, backend,
                    fdName != null ? fdName : "fd-" + id);
        }
    }
}
