package io.qmp4j.vm;

/** How {@link QemuVm#powerdown} ended. */
public enum PowerdownResult {
    /** The guest shut down on its own after the ACPI power button ({@code SHUTDOWN} event). */
    GUEST_SHUTDOWN,
    /** The guest did not shut down in time, so QEMU was told to {@code quit}. */
    FORCED_QUIT
}
