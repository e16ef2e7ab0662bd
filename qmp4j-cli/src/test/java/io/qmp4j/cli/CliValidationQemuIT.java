package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import org.junit.jupiter.api.Test;

/** The command line checks calls against QEMU's schema by default; --no-validate sends them as they are. */
@RequiresQemu
class CliValidationQemuIT {

    @Test
    void aMisspeltArgumentIsReportedWithASuggestionAndExit3() {
        try (QemuProcess qemu = QemuProcess.start()) {
            String socket = qemu.qmpSocket().toString();
            CliRunner.Result checked = CliRunner.run("exec", "-s", socket, "blockdev-add",
                    "{\"drivr\":\"null-co\",\"node-name\":\"n0\"}");
            assertThat(checked.exitCode()).as(checked.toString()).isEqualTo(3);
            assertThat(checked.err()).contains("arguments.drivr: unknown argument").contains("did you mean 'driver'?");

            CliRunner.Result unchecked = CliRunner.run("exec", "-s", socket, "--no-validate", "blockdev-add",
                    "{\"drivr\":\"null-co\",\"node-name\":\"n0\"}");
            assertThat(unchecked.exitCode()).as(unchecked.toString()).isEqualTo(3);
            assertThat(unchecked.err()).startsWith("GenericError: ").doesNotContain("did you mean");

            CliRunner.Result typoCommand = CliRunner.run("exec", "-s", socket, "query_status");
            assertThat(typoCommand.exitCode()).isEqualTo(3);
            assertThat(typoCommand.err()).contains("did you mean 'query-status'?");

            CliRunner.Result good = CliRunner.run("exec", "-s", socket, "blockdev-add",
                    "{\"driver\":\"null-co\",\"node-name\":\"n0\"}");
            assertThat(good.exitCode()).as(good.toString()).isZero();
        }
    }

    @Test
    void theShellReportsInvalidLinesWithoutSendingThem() {
        try (QemuProcess qemu = QemuProcess.start()) {
            CliRunner.Result r = CliRunner.run("query-status\nstop now=true\n", false, "shell", "-s",
                    qemu.qmpSocket().toString(), "--compact", "--keep-going");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("arguments.now: unknown argument").contains("nothing was sent");
            assertThat(r.out()).contains("\"running\"").doesNotContain("STOP");
        }
    }
}
