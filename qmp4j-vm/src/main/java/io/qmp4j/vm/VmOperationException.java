package io.qmp4j.vm;

import io.qmp4j.QmpException;
import java.util.List;

/**
 * A multi-command VM operation failed at one step, after undoing the steps before it.
 *
 * <p>{@link #failedStep()} is the QMP command that failed, {@link #rolledBack()} the commands
 * sent to undo earlier steps (in the order sent), and {@link #getCause()} the step's own
 * failure (for example a {@link io.qmp4j.QmpCommandException} with QEMU's error class). An undo
 * that itself failed is attached as a suppressed exception and named in the message: then
 * something may be left behind, and the message says what. The connection stays usable unless
 * the cause says otherwise.
 */
public class VmOperationException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String failedStep;
    private final List<String> rolledBack;

    /** Creates the exception; {@code message} already names the operation, the step and the rollback. */
    public VmOperationException(String message, String operation, String failedStep, List<String> rolledBack,
            Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.failedStep = failedStep;
        this.rolledBack = List.copyOf(rolledBack);
    }

    /** The operation, for example {@code plug NIC nic1}. */
    public String operation() {
        return operation;
    }

    /** The step that failed, for example {@code device_add}. */
    public String failedStep() {
        return failedStep;
    }

    /** The undo commands sent, in order, for example {@code [netdev_del nic1, closefd fd-nic1]}. */
    public List<String> rolledBack() {
        return rolledBack;
    }
}
