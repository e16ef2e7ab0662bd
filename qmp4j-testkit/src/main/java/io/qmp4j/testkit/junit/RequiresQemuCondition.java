package io.qmp4j.testkit.junit;

import io.qmp4j.testkit.qemu.QemuBinary;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit 5 {@link ExecutionCondition} behind {@link RequiresQemu}: enables a test when a QEMU
 * binary is installed, and otherwise disables it with a reason or, when
 * {@value #REQUIRE_PROPERTY}{@code =true}, fails it.
 *
 * <p>JUnit creates this class itself; tests use the annotation.
 */
public final class RequiresQemuCondition implements ExecutionCondition {

    /** The system property that turns a missing QEMU into a failure: {@value}; default false. */
    public static final String REQUIRE_PROPERTY = "qmp4j.requireQemu";

    /** Creates the condition; JUnit calls this. */
    public RequiresQemuCondition() {}

    /**
     * Enables the test if {@link QemuBinary#find()} finds a binary; otherwise disables it, or
     * throws if {@value #REQUIRE_PROPERTY} is {@code true} (as a system property or a JUnit
     * configuration parameter).
     *
     * @throws QemuRequiredException if QEMU is missing and required; JUnit reports the test (or the
     *     whole class) as failed
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<QemuBinary> binary = QemuBinary.find();
        boolean required = context.getConfigurationParameter(REQUIRE_PROPERTY)
                .or(() -> Optional.ofNullable(System.getProperty(REQUIRE_PROPERTY)))
                .map(Boolean::parseBoolean)
                .orElse(false);
        return evaluate(binary, required, binary.isPresent() ? "" : QemuBinary.notFoundMessage());
    }

    /** The decision itself, without JUnit or the environment, so it can be unit tested. */
    static ConditionEvaluationResult evaluate(Optional<QemuBinary> binary, boolean required,
            String notFoundMessage) {
        if (binary.isPresent()) {
            return ConditionEvaluationResult.enabled("found " + binary.get());
        }
        if (required) {
            throw new QemuRequiredException(notFoundMessage + "; failing because -D"
                    + REQUIRE_PROPERTY + "=true");
        }
        return ConditionEvaluationResult.disabled(notFoundMessage);
    }

    /**
     * Thrown by {@link RequiresQemuCondition} when QEMU is missing but
     * {@value RequiresQemuCondition#REQUIRE_PROPERTY} is {@code true}; it fails the test instead of
     * skipping it.
     */
    public static final class QemuRequiredException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with the message that says what to install. */
        public QemuRequiredException(String message) {
            super(message);
        }
    }
}
