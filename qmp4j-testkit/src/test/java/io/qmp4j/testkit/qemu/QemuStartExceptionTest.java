package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QemuStartExceptionTest {

    @Test
    void messageHoldsReasonQuotedCommandLineAndIndentedOutput() {
        QemuStartException e = new QemuStartException("QEMU exited with code 1",
                List.of("/usr/bin/qemu", "-name", "my vm", "-bogus"), "line one\nline two", 1,
                null);

        assertThat(e.getMessage()).isEqualTo("QEMU exited with code 1\n"
                + "  command line: /usr/bin/qemu -name 'my vm' -bogus\n"
                + "  QEMU output (last lines):\n"
                + "    line one\n"
                + "    line two");
        assertThat(e.exitCode()).hasValue(1);
    }

    @Test
    void emptyOutputIsSaidToBeNone() {
        QemuStartException e = new QemuStartException("timed out", List.of("qemu"), "", null, null);

        assertThat(e.getMessage()).endsWith("QEMU output (last lines): (none)");
        assertThat(e.exitCode()).isEmpty();
        assertThat(e.logTail()).isEmpty();
    }
}
