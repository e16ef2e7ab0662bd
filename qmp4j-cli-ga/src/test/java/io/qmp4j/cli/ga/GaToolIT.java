package io.qmp4j.cli.ga;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.testkit.junit.RequiresQemuGa;
import io.qmp4j.testkit.qga.QgaProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qmp4j ga} against a real qemu-ga on the host. */
@RequiresQemuGa
class GaToolIT {
    private QgaProcess agent;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path local;

    @BeforeEach
    void start() {
        agent = QgaProcess.start();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private int ga(String stdin, String... args) {
        out.reset();
        err.reset();
        return GaTool.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsAgentCommandsWithOrWithoutTheGuestPrefix() {
        String socket = agent.socketPath().toString();
        assertThat(ga("", "-s", socket, "ping")).isZero();
        assertThat(out()).isEqualTo("{}\n");
        assertThat(ga("", "-s", socket, "guest-get-host-name")).isZero();
        assertThat(out()).startsWith("{\"host-name\":");
        assertThat(ga("", "-s", socket, "exec-status", "{\"pid\": 1}")).isEqualTo(GaTool.AGENT_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("GenericError: Invalid parameter 'pid'");
        assertThat(ga("", "-s", socket, "shutdown")).isEqualTo(GaTool.AGENT_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has been disabled");
    }

    @Test
    void execPassesOutputAndTheProgramsExitStatusThrough() {
        String socket = agent.socketPath().toString();
        assertThat(ga("", "-s", socket, "exec", "--", "/bin/uname", "-s")).isZero();
        assertThat(out()).isEqualTo("Linux\n");
        assertThat(ga("piped", "-s", socket, "exec", "--stdin", "-e", "X=1", "--", "/bin/sh", "-c",
                "cat; echo \" $X\" >&2; exit 7")).isEqualTo(7);
        assertThat(out()).isEqualTo("piped");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(" 1\n");
    }

    @Test
    void copiesBothWaysWithAProgressBar() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 7];
        new Random(7).nextBytes(data);
        Path source = Files.write(local.resolve("in.bin"), data);
        String remote = agent.directory().resolve("remote.bin").toString();
        String socket = agent.socketPath().toString();
        assertThat(ga("", "-s", socket, "cp", "--progress", source.toString(), ":" + remote)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("100%", "3.0 MiB / 3.0 MiB", "MiB/s");
        assertThat(Files.readAllBytes(Path.of(remote))).isEqualTo(data);
        Path back = local.resolve("back.bin");
        assertThat(ga("", "-s", socket, "cp", ":" + remote, back.toString())).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).as("no bar when stderr is not a terminal").isEmpty();
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
        assertThat(ga("", "-s", socket, "cp", local.resolve("missing").toString(), ":" + remote))
                .isEqualTo(GaTool.USAGE);
    }
}
