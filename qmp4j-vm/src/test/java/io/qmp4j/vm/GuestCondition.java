package io.qmp4j.vm;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a test class, with the reason, when the {@link TinyGuest} is not prepared, unless
 * {@code -Dqmp4j.requireGuest=true} (then the class runs and fails saying what is missing).
 */
final class GuestCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = TinyGuest.missing();
        if (missing.isEmpty() || Boolean.getBoolean(TinyGuest.REQUIRE_PROPERTY)) {
            return ConditionEvaluationResult.enabled("the tiny test guest is in " + TinyGuest.directory());
        }
        return ConditionEvaluationResult.disabled(missing.get());
    }
}
