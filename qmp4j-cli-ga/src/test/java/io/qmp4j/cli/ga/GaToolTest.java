package io.qmp4j.cli.ga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument handling that needs no agent: every usage error exits 2 before anything connects. */
class GaToolTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GaTool.run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitTwoWithAReason() {
        assertThat(run("ping")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("the agent channel is required");
        err.reset();
        assertThat(run("-s", "/x")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("COMMAND is required");
        err.reset();
        assertThat(run("-s", "/x", "cp", "a", "b")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("LOCAL :REMOTE or :REMOTE LOCAL");
        err.reset();
        assertThat(run("-s", "/x", "exec")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("exec needs the program's PATH");
        err.reset();
        assertThat(run("-s", "/x", "get-osinfo", "[1]")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("must be a JSON object");
        err.reset();
        assertThat(run("-s", "tcp:host", "ping")).isEqualTo(GaTool.USAGE);
        err.reset();
        assertThat(run("--timeout", "soon", "-s", "/x", "ping")).isEqualTo(GaTool.USAGE);
        assertThat(err()).contains("not a duration");
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("qmp4j ga -s ADDR", "exec", "cp");
    }

    @Test
    void aMissingSocketIsAConnectionFailure() {
        assertThat(run("-s", "/nonexistent/qga.sock", "ping")).isEqualTo(GaTool.CONNECTION);
        assertThat(err()).contains("no such file");
    }

    @Test
    void durationsTakeTheCommandLineUnits() {
        assertThat(GaTool.parseDuration("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(GaTool.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GaTool.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(GaTool.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> GaTool.parseDuration("0")).hasMessageContaining("positive");
    }

    @Test
    void theProgressLineShowsShareAndSizes() {
        assertThat(ProgressBar.line(512 * 1024, 1024 * 1024))
                .isEqualTo("[###############               ]  50%  0.5 MiB / 1.0 MiB");
        assertThat(ProgressBar.line(3 * 1024 * 1024, -1)).isEqualTo("3.0 MiB");
    }
}
