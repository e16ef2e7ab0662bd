package io.qmp4j.vm;

import java.util.List;

/**
 * A group of operations and the QMP commands they need; {@link QemuVm#supports(VmCapability)}
 * checks them against the connected QEMU ({@code query-commands}), and every operation checks
 * its own before sending anything.
 */
public enum VmCapability {
    /** NIC hot-plug with a passed fd: {@code getfd}, {@code closefd}, {@code netdev_add}, {@code netdev_del}, {@code device_add}, {@code device_del}. */
    NIC_HOTPLUG("getfd", "closefd", "netdev_add", "netdev_del", "device_add", "device_del"),
    /** Disk hot-plug: {@code blockdev-add}, {@code blockdev-del}, {@code device_add}, {@code device_del}. */
    DISK_HOTPLUG("blockdev-add", "blockdev-del", "device_add", "device_del"),
    /** Disks opened from passed fds: {@code add-fd}, {@code remove-fd}, {@code query-fdsets}. */
    FD_SETS("add-fd", "remove-fd", "query-fdsets"),
    /** vCPU hot-plug: {@code query-hotpluggable-cpus}, {@code device_add}. */
    CPU_HOTPLUG("query-hotpluggable-cpus", "device_add"),
    /** Memory balloon: {@code balloon}, {@code query-balloon}. */
    BALLOON("balloon", "query-balloon"),
    /** Migration, both sides. */
    MIGRATION("migrate", "migrate-incoming", "query-migrate", "migrate_cancel", "migrate-set-capabilities",
            "migrate-set-parameters"),
    /** Console passwords: {@code set_password}, {@code expire_password}. */
    CONSOLE_PASSWORDS("set_password", "expire_password"),
    /** Screen dumps: {@code screendump}. */
    SCREENDUMP("screendump");

    private final List<String> commands;

    VmCapability(String... commands) {
        this.commands = List.of(commands);
    }

    /** The QMP commands this capability needs. */
    public List<String> commands() {
        return commands;
    }
}
