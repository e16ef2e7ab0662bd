/**
 * qmp4j VM operations: {@link io.qmp4j.vm.QemuVm}, the multi-command protocols a VM manager
 * needs (power, balloon, NIC/disk/CPU hot-plug with rollback, PCI slots, migration, console
 * passwords) over one {@link io.qmp4j.QmpConnection}. {@code io.qmp4j.vm.internal} is hidden.
 */
module io.qmp4j.vm {
    requires transitive io.qmp4j;
    // core reads JNA only statically; requiring it here puts it in the module graph, so that the
    // fd passing NIC and disk hot-plug rely on works on the module path too
    requires com.sun.jna;

    exports io.qmp4j.vm;
}
