package io.qmp4j.testkit.junit;

import io.qmp4j.testkit.qga.QgaProcess;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JUnit 5 condition behind {@link RequiresQemuGa}: enables a test when {@code qemu-ga} is
 * installed; otherwise disables it, or fails it when
 * {@value RequiresQemuCondition#REQUIRE_PROPERTY}{@code =true}. JUnit creates this class itself.
 */
public final class RequiresQemuGaCondition implements ExecutionCondition {

    /** Creates the condition; JUnit calls this. */
    public RequiresQemuGaCondition() {}

    /**
     * Enables the test if {@code qemu-ga} is found.
     *
     * @throws RequiresQemuCondition.QemuRequiredException if it is missing and required
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean required = context.getConfigurationParameter(RequiresQemuCondition.REQUIRE_PROPERTY)
                .or(() -> Optional.ofNullable(System.getProperty(RequiresQemuCondition.REQUIRE_PROPERTY)))
                .map(Boolean::parseBoolean)
                .orElse(false);
        Optional<java.nio.file.Path> binary = QgaProcess.findBinary();
        if (binary.isPresent()) {
            return ConditionEvaluationResult.enabled("found " + binary.get());
        }
        if (required) {
            throw new RequiresQemuCondition.QemuRequiredException(QgaProcess.INSTALL_HINT + "; failing because -D"
                    + RequiresQemuCondition.REQUIRE_PROPERTY + "=true");
        }
        return ConditionEvaluationResult.disabled(QgaProcess.INSTALL_HINT);
    }
}
