package io.qmp4j.vm;

/**
 * One PCI function from {@code query-pci}.
 *
 * @param bus         the bus number (0 is the first root bus)
 * @param slot        the slot 0–31
 * @param function    the function 0–7
 * @param vendorId    the PCI vendor id (e.g. {@code 0x1af4} for virtio)
 * @param deviceId    the PCI device id
 * @param classCode   the PCI class code (e.g. {@code 0x0200} for Ethernet)
 * @param description QEMU's class description (e.g. {@code Ethernet controller}), or empty
 * @param qdevId      the device's QEMU id ({@code -device ...,id=} / {@code device_add id}), or empty
 */
public record PciDevice(int bus, int slot, int function, int vendorId, int deviceId, int classCode,
        String description, String qdevId) {
}
