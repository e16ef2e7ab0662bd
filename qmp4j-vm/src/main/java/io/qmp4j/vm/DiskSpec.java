package io.qmp4j.vm;

import io.qmp4j.QmpFd;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What disk to hot-plug: the image (a file QEMU opens, or an fd passed into an fd set), its
 * format, and the device that shows it to the guest. Immutable; build with
 * {@link #file(String, Path)} or {@link #fd(String, QmpFd)} and the {@code with*} methods.
 *
 * @param id       the device id ({@code device_add id})
 * @param nodeName the block node's name ({@code blockdev-add node-name}); default {@code node-ID}
 * @param file     the image file, or null when {@code fd} is set
 * @param fd       an open descriptor of the image (passed with {@code add-fd}), or null when {@code file} is set
 * @param format   {@code raw} (default) or {@code qcow2}
 * @param readOnly whether the guest may only read it; default false
 * @param driver   the device: {@code virtio-blk-pci} (default) or {@code scsi-hd} (on a SCSI controller)
 * @param bus      the bus: a PCI bus such as {@code pci.0}, or a SCSI bus such as {@code scsi0.0}; null for QEMU's choice
 * @param slot     the PCI slot 0–31 for {@code virtio-blk-pci}, or null for QEMU's choice
 */
public record DiskSpec(String id, String nodeName, Path file, QmpFd fd, String format, boolean readOnly,
        String driver, String bus, Integer slot) {

    /** Validates the fields. */
    public DiskSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(driver, "driver");
        if ((file == null) == (fd == null)) {
            throw new IllegalArgumentException("disk " + id + ": give exactly one of file and fd");
        }
        if (!format.equals("raw") && !format.equals("qcow2")) {
            throw new IllegalArgumentException("disk " + id + ": format must be raw or qcow2, got " + format);
        }
        if (slot != null && (slot < 0 || slot > 31)) {
            throw new IllegalArgumentException("disk " + id + ": PCI slot must be 0..31, got " + slot);
        }
        if (!nodeName.matches("[A-Za-z][A-Za-z0-9_.-]{0,30}")) {
            throw new IllegalArgumentException("disk " + id + ": node name must be a letter then up to 30 of"
                    + " [A-Za-z0-9_.-], got " + nodeName);
        }
    }

    /** A raw {@code virtio-blk-pci} disk {@code id} whose image QEMU opens at {@code file}. */
    public static DiskSpec file(String id, Path file) {
        return new DiskSpec(id, "node-" + id, Objects.requireNonNull(file, "file"), null, "raw", false,
                "virtio-blk-pci", null, null);
    }

    /** A raw {@code virtio-blk-pci} disk {@code id} on the image open as {@code fd} (passed with {@code add-fd}). */
    public static DiskSpec fd(String id, QmpFd fd) {
        return new DiskSpec(id, "node-" + id, null, Objects.requireNonNull(fd, "fd"), "raw", false,
                "virtio-blk-pci", null, null);
    }

    /** This disk with image format {@code format} ({@code raw} or {@code qcow2}). */
    public DiskSpec withFormat(String format) {
        return new DiskSpec(id, nodeName, file, fd, format, readOnly, driver, bus, slot);
    }

    /** This disk, read-only or not. */
    public DiskSpec withReadOnly(boolean readOnly) {
        return new DiskSpec(id, nodeName, file, fd, format, readOnly, driver, bus, slot);
    }

    /** This disk shown as {@code driver} ({@code virtio-blk-pci} or {@code scsi-hd}) on {@code bus} (null: QEMU's choice). */
    public DiskSpec withDevice(String driver, String bus) {
        return new DiskSpec(id, nodeName, file, fd, format, readOnly, driver, bus, slot);
    }

    /** This disk in PCI slot {@code slot} (virtio-blk-pci). */
    public DiskSpec withSlot(int slot) {
        return new DiskSpec(id, nodeName, file, fd, format, readOnly, driver, bus, slot);
    }

    /** This disk with block node name {@code nodeName}. */
    public DiskSpec withNodeName(String nodeName) {
        return new DiskSpec(id, nodeName, file, fd, format, readOnly, driver, bus, slot);
    }
}
