package io.qmp4j.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.testkit.qemu.QemuBinary;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

class RequiresQemuConditionTest {

    private static final String MISSING =
            "qemu-system-x86_64 not found: install it with apt-get install qemu-system-x86";

    @TempDir
    Path tmp;

    @Test
    void presentBinaryEnablesAndNamesIt() throws IOException {
        QemuBinary binary = fakeBinary();

        ConditionEvaluationResult r =
                RequiresQemuCondition.evaluate(Optional.of(binary), true, "unused");

        assertThat(r.isDisabled()).isFalse();
        assertThat(r.getReason()).contains("found qemu-system-x86_64 7.2.22 at " + binary.path());
    }

    @Test
    void missingBinaryDisablesWithTheInstallHint() {
        ConditionEvaluationResult r =
                RequiresQemuCondition.evaluate(Optional.empty(), false, MISSING);

        assertThat(r.isDisabled()).isTrue();
        assertThat(r.getReason()).contains(MISSING);
    }

    @Test
    void missingBinaryFailsWhenQemuIsRequired() {
        assertThatThrownBy(() -> RequiresQemuCondition.evaluate(Optional.empty(), true, MISSING))
                .isInstanceOf(RequiresQemuCondition.QemuRequiredException.class)
                .hasMessage(MISSING + "; failing because -Dqmp4j.requireQemu=true");
    }

    @Test
    void conditionReadsTheBinaryOverrideAndTheRequireSetting() {
        String oldQemu = System.getProperty(QemuBinary.PROPERTY);
        String oldRequire = System.getProperty(RequiresQemuCondition.REQUIRE_PROPERTY);
        RequiresQemuCondition condition = new RequiresQemuCondition();
        try {
            System.setProperty(QemuBinary.PROPERTY, "/nonexistent/qemu-system-x86_64");
            System.clearProperty(RequiresQemuCondition.REQUIRE_PROPERTY);
            ConditionEvaluationResult skipped = condition.evaluateExecutionCondition(context(null));
            assertThat(skipped.isDisabled()).isTrue();
            assertThat(skipped.getReason()).get(InstanceOfAssertFactories.STRING)
                    .startsWith(MISSING).contains("/nonexistent/qemu-system-x86_64");

            System.setProperty(RequiresQemuCondition.REQUIRE_PROPERTY, "true");
            assertThatThrownBy(() -> condition.evaluateExecutionCondition(context(null)))
                    .hasMessageStartingWith(MISSING);

            System.setProperty(RequiresQemuCondition.REQUIRE_PROPERTY, "false");
            assertThatThrownBy(() -> condition.evaluateExecutionCondition(context("true")))
                    .as("a JUnit configuration parameter counts too")
                    .hasMessageStartingWith(MISSING);
        } finally {
            restore(QemuBinary.PROPERTY, oldQemu);
            restore(RequiresQemuCondition.REQUIRE_PROPERTY, oldRequire);
        }
    }

    @Test
    void annotationRegistersTheConditionForClassesAndMethods() {
        ExtendWith extendWith = RequiresQemu.class.getAnnotation(ExtendWith.class);

        assertThat(extendWith.value()).containsExactly(RequiresQemuCondition.class);
        assertThat(RequiresQemu.class.getAnnotation(java.lang.annotation.Target.class).value())
                .containsExactlyInAnyOrder(java.lang.annotation.ElementType.TYPE,
                        java.lang.annotation.ElementType.METHOD);
    }

    /** An ExtensionContext whose only answer is the configuration parameter qmp4j.requireQemu. */
    private static ExtensionContext context(String requireParameter) {
        return (ExtensionContext) Proxy.newProxyInstance(
                RequiresQemuConditionTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConfigurationParameter") && args.length == 1) {
                        return RequiresQemuCondition.REQUIRE_PROPERTY.equals(args[0])
                                ? Optional.ofNullable(requireParameter) : Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private QemuBinary fakeBinary() throws IOException {
        Path script = Files.writeString(tmp.resolve("qemu"), "#!/bin/sh\n"
                + "echo 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return QemuBinary.of(script);
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }
}
