package io.qmp4j;

/**
 * QEMU does not know the command (error class {@code CommandNotFound}): the name is misspelt,
 * the QEMU build lacks it, or capabilities negotiation has not happened yet.
 */
public final class QmpCommandNotFoundException extends QmpCommandException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code command} with QEMU's {@code description}. */
    public QmpCommandNotFoundException(String command, String description) {
        super(command, "CommandNotFound", description);
    }
}
