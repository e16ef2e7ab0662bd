package io.qmp4j.vm.internal;

import java.util.concurrent.CompletableFuture;

/**
 * What the connected QEMU supports, asked once and cached. The one place capability checks come
 * from, so that a schema-based implementation (the typed schema's {@code supports(command)} and
 * {@code supports(command, argument)}) can replace {@link Introspection} without touching the
 * operations.
 */
public interface Capabilities {

    /** Whether QEMU has {@code command} (e.g. {@code netdev_add}). */
    CompletableFuture<Boolean> hasCommand(String command);

    /** Whether {@code command} takes an argument named {@code argument}. */
    CompletableFuture<Boolean> hasArgument(String command, String argument);

    /** Whether QEMU can create devices of {@code type} (e.g. {@code virtio-net-pci}). */
    CompletableFuture<Boolean> hasDeviceType(String type);

    /** QEMU's version, for messages (e.g. {@code 7.2.22}). */
    String qemuVersion();
}
