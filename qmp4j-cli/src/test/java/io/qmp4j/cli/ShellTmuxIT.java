package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell as a person uses it: the built {@code qmp4j-cli-all.jar} runs in a real terminal
 * (tmux), keys are typed with {@code send-keys} and the screen is read with
 * {@code capture-pane}. Skipped, with the reason, when tmux is not installed.
 */
@RequiresQemu
class ShellTmuxIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path JAR = Path.of("target", "qmp4j-cli-all.jar");

    @TempDir
    Path config;

    private final String server = "qmp4j-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private QemuProcess qemu;

    @BeforeEach
    void start() {
        assumeTrue(onPath("tmux"), "tmux is not installed (Debian: apt-get install tmux); the terminal tests need it");
        assertThat(JAR).as("the shaded jar is built in the package phase, before the integration tests").exists();
        qemu = QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true).secondQmpSocket(true).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (qemu != null) {
            tmux("kill-server");
            qemu.close();
        }
    }

    @Test
    void completionEventsWhileTypingCtrlCCtrlDAndHistoryAcrossRuns() throws Exception {
        shell("first");
        awaitScreen("first", "(QEMU) ");
        keys("first", "query-versi", "Tab");
        awaitScreen("first", "(QEMU) query-version");
        keys("first", "Enter");
        awaitScreen("first", "\"major\": 7");

        keys("first", "-l", "device_del id=ni");
        awaitScreen("first", "(QEMU) device_del id=ni");
        monitor("cont"); // RESUME arrives while the line is half typed
        awaitScreen("first", "event RESUME");
        assertThat(lastLine("first")).as("the unfinished line is drawn again below the event")
                .isEqualTo("(QEMU) device_del id=ni");

        keys("first", "C-c"); // cancels the line: it is never sent
        awaitPrompt("first");
        keys("first", "-l", "human-monitor-command command-line='info status'");
        keys("first", "Enter");
        awaitScreen("first", "VM status: running");
        assertThat(screen("first")).doesNotContain("DeviceNotFound");

        awaitPrompt("first"); // keys typed ahead of the prompt reach a terminal still in cooked mode
        keys("first", "C-d");
        awaitScreen("first", "EXIT=0");
        assertThat(Files.readString(config.resolve("qmp4j/history")))
                .contains("query-version", "human-monitor-command command-line='info status'")
                .doesNotContain("device_del");

        shell("second"); // history survives the restart: Up recalls the last line
        awaitScreen("second", "(QEMU) ");
        keys("second", "Up");
        awaitScreen("second", "(QEMU) human-monitor-command command-line='info status'");
        keys("second", "Enter");
        awaitScreen("second", "VM status: running");
        awaitPrompt("second");
        keys("second", "C-d");
        awaitScreen("second", "EXIT=0");
    }

    /** Starts the shell in a new tmux window called {@code name}; the pane stays after it exits. */
    private void shell(String name) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String command = "env XDG_CONFIG_HOME=" + config + " TERM=xterm-256color " + java + " -jar "
                + JAR.toAbsolutePath() + " shell -s " + qemu.qmpSocket() + "; echo EXIT=$?; sleep 600";
        tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command);
    }

    private void keys(String name, String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen(String name) throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", name);
    }

    private String lastLine(String name) throws Exception {
        return screen(name).strip().lines().reduce((a, b) -> b).orElse("");
    }

    private void awaitScreen(String name, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String shown;
        while (!(shown = screen(name)).contains(text)) {
            assertThat(System.nanoTime()).as("screen lacks %s:%n%s", text, shown).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until the last line on screen is an empty prompt. */
    private void awaitPrompt(String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!lastLine(name).equals("(QEMU)")) {
            assertThat(System.nanoTime()).as("no fresh prompt:%n%s", screen(name)).isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(100); // the prompt is drawn just before JLine puts the terminal in raw mode
    }

    private void monitor(String command) {
        try (QmpConnection qmp = QmpConnection.builder(qemu.secondQmpSocket().orElseThrow()).build()) {
            qmp.connect();
            qmp.execute(command);
        }
    }

    private String tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0 && !args[0].equals("kill-server")) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
