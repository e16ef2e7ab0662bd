package io.qmp4j.vm;

import io.qmp4j.QmpException;
import java.time.Duration;

/**
 * QEMU or the guest did not reach the awaited state in time: no {@code DEVICE_DELETED} after
 * {@code device_del}, no {@code SHUTDOWN} after {@code system_powerdown}, a balloon that did not
 * reach its target, a migration that did not finish. The message says what was awaited, for how
 * long, and the usual reason (a PCI device is only released when the guest OS's ACPI hot-plug
 * code ejects it, so without a running guest OS it never is). What was done before the wait
 * stays done; the message says what was left in place.
 */
public class VmTimeoutException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /** Creates the exception; {@code message} names what was awaited. */
    public VmTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /** How long was waited. */
    public Duration timeout() {
        return timeout;
    }
}
