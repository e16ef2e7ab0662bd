package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.message.QmpJson;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command line against a real QEMU. */
@RequiresQemu
class CliQemuIT {

    @Test
    void execQueryStatusPrintsTheStatusAndExitsZero() throws Exception {
        try (QemuProcess qemu = QemuProcess.start()) {
            CliRunner.Result r = CliRunner.run("exec", "-s", qemu.qmpSocket().toString(), "query-status");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
            assertThat(r.out()).endsWith("\n").hasLineCount(1);
            JsonNode status = QmpJson.mapper().readTree(r.out());
            assertThat(status.path("status").asText()).isEqualTo("running");
            assertThat(status.path("running").asBoolean()).isTrue();
        }
    }

    @Test
    void execOfAnUnknownCommandIsExitThreeAndLeavesQemuUsable() {
        try (QemuProcess qemu = QemuProcess.start()) {
            String socket = qemu.qmpSocket().toString();
            CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "no-such-command"); // QEMU's own answer

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("CommandNotFound: The command no-such-command has not been found\n");
            assertThat(CliRunner.run("exec", "-s", socket, "human-monitor-command",
                    "{\"command-line\":\"info status\"}").out()).isEqualTo("\"VM status: running\\r\\n\"\n");
        }
    }

    @Test
    void scriptedShellRunsCommandsAndPrintsTheStopEvent() {
        try (QemuProcess qemu = QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true).start()) {
            CliRunner.Result r = CliRunner.run("query-status\nstop\ncont\nquery-status\n", false,
                    "shell", "-s", qemu.qmpSocket().toString());

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
            assertThat(r.out()).contains("\"status\": \"prelaunch\"", "event RESUME {", "\"status\": \"running\"");
            assertThat(r.err()).startsWith("Connected to QEMU 7.");
        }
    }

    @Test
    void shellWithoutSocketStartsAndStopsItsOwnQemu() {
        CliRunner.Result r = CliRunner.run("query-status\nstop\n", false, "shell");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("\"status\": \"running\"").containsPattern("event STOP \\{\"timestamp\":");
        assertThat(r.out().indexOf("event STOP")).isLessThan(r.out().lastIndexOf("{}"));
        long pid = startedPid(r.err());
        assertThat(r.err()).contains("-machine none").contains("qmp4j: stopped QEMU (pid " + pid + ")");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    }

    @Test
    void shellWithoutSocketAndEmptyInputStopsQemuCleanly() {
        CliRunner.Result r = CliRunner.run("", false, "shell");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).isEmpty();
        long pid = startedPid(r.err());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
    }

    @Test
    void shellQuitEndsQemuAndTheShell() {
        CliRunner.Result r = CliRunner.run("quit\n", false, "shell");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("event SHUTDOWN");
        assertThat(r.err()).contains("qmp4j: stopped QEMU");
    }

    @Test
    void shellWithABadMachineTypeCannotStartQemu() {
        CliRunner.Result r = CliRunner.run("", false, "shell", "--machine", "no-such-machine");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: cannot start QEMU: ").contains("no-such-machine");
    }

    private static long startedPid(String err) {
        Matcher m = Pattern.compile("qmp4j: started QEMU \\S+ \\(pid (\\d+)\\)").matcher(err);
        assertThat(m.find()).as(err).isTrue();
        return Long.parseLong(m.group(1));
    }
}
