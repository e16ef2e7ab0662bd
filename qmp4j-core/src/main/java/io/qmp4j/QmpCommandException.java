package io.qmp4j;

import java.util.Objects;

/**
 * QEMU executed (or refused) a command and answered with an error reply
 * ({@code {"error": {"class": C, "desc": D}}}, QMP spec "2.4.2 error").
 *
 * <p>The connection stays usable. {@link #errorClass()} is QMP's machine-readable class
 * (for example {@code GenericError}, {@code DeviceNotFound}); {@link #description()} is QEMU's
 * human text, which may change between QEMU versions.
 */
public class QmpCommandException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final String errorClass;
    private final String description;

    /** Creates the exception for {@code command} failing with {@code errorClass} and {@code description}. */
    public QmpCommandException(String command, String errorClass, String description) {
        super(command + ": " + errorClass + ": " + description);
        this.command = Objects.requireNonNull(command, "command");
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** The command that failed, as sent in {@code "execute"}. */
    public String command() {
        return command;
    }

    /** QMP's {@code error.class}, for example {@code GenericError}. */
    public String errorClass() {
        return errorClass;
    }

    /** QMP's {@code error.desc}: QEMU's explanation, meant for people. */
    public String description() {
        return description;
    }
}
