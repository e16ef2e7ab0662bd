package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionPrintsTheBuiltVersion() {
        CliRunner.Result r = CliRunner.run("--version");

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).startsWith("qmp4j ").doesNotContain("${").doesNotContain("unknown version");
    }

    @Test
    void helpListsTheSubcommandsAndExitCodes() {
        CliRunner.Result r = CliRunner.run("--help");

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("exec", "shell", "Exit codes:", "4   cannot connect");
    }

    @Test
    void withoutASubcommandItPrintsUsageAndExitsTwo() {
        CliRunner.Result r = CliRunner.run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("qmp4j: a subcommand is required").contains("Usage: qmp4j");
    }

    @Test
    void anUnknownSubcommandOrOptionIsAUsageError() {
        assertThat(CliRunner.run("frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("--frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void exitCodesAreTheDocumentedNumbers() {
        assertThat(Arrays.stream(ExitCode.values()).mapToInt(ExitCode::code)).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(ExitCode.valueOf("QMP_ERROR").code()).isEqualTo(3);
    }
}
