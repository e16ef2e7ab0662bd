package io.qmp4j.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.testkit.qemu.QemuBinary;
import org.junit.jupiter.api.Test;

/** The annotation on a real test: it only runs where QEMU is installed. */
class RequiresQemuIT {

    @Test
    @RequiresQemu
    void methodLevelAnnotationRunsOnlyWithQemu() {
        assertThat(QemuBinary.find()).isPresent();
        assertThat(QemuBinary.require().version()).matches("\\d+\\.\\d+\\.\\d+");
    }
}
