package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.testkit.junit.RequiresQemu;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against real QEMU; each test starts its own process. */
@RequiresQemu
@Timeout(60)
class QemuProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path tmp;

    @Test
    void startThenCloseLeavesNoProcessAndNoDirectory() throws Exception {
        QemuProcess qemu = QemuProcess.start();
        long pid = qemu.pid();
        Path dir = qemu.directory();
        assertThat(qemu.isAlive()).isTrue();
        assertThat(qemu.qmpSocket()).exists().isEqualTo(dir.resolve("qmp.sock"));
        assertThat(qemu.logFile()).exists();
        assertThat(qemu.commandLine()).startsWith(qemu.binary().path().toString())
                .contains("-machine", "none", "-nodefaults", "-display");

        qemu.close();

        assertThat(qemu.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(dir).doesNotExist();
        qemu.close(); // idempotent
        assertThat(qemu.exitCode()).isPresent();
    }

    @Test
    void startPlusCloseTimeIsLoggedForInformation() {
        int runs = 5;
        long startNanos = 0;
        long totalNanos = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            QemuProcess qemu = QemuProcess.start();
            long t1 = System.nanoTime();
            qemu.close();
            long t2 = System.nanoTime();
            startNanos += t1 - t0;
            totalNanos += t2 - t0;
        }
        System.out.printf("QemuProcess (-machine none): start %.1f ms, start+close %.1f ms"
                + " (mean of %d)%n", startNanos / 1e6 / runs, totalNanos / 1e6 / runs, runs);
    }

    @Test
    void socketGreetsWithTheBinarysVersionAfterStart() throws Exception {
        try (QemuProcess qemu = QemuProcess.start();
                RawQmpClient client = RawQmpClient.connect(qemu.qmpSocket(), WAIT)) {
            JsonNode qemuVersion = client.readJson(WAIT).path("QMP").path("version").path("qemu");

            assertThat(qemuVersion.path("major").asInt() + "." + qemuVersion.path("minor").asInt()
                    + "." + qemuVersion.path("micro").asInt()).isEqualTo(qemu.binary().version());
        }
    }

    @Test
    void monitorServesOneClientAtATimeAndGreetsTheNextWhenThePreviousLeaves() throws Exception {
        try (QemuProcess qemu = QemuProcess.start()) {
            RawQmpClient first = RawQmpClient.connect(qemu.qmpSocket(), WAIT);
            assertThat(first.readLine(WAIT)).startsWith("{\"QMP\"");
            try (RawQmpClient waiting = RawQmpClient.connect(qemu.qmpSocket(), WAIT)) {
                assertThatThrownBy(() -> waiting.readLine(SHORT))
                        .as("no greeting while the first client holds the monitor")
                        .isInstanceOf(SocketTimeoutException.class);

                first.close();

                assertThat(waiting.readLine(WAIT)).startsWith("{\"QMP\"");
            }
            for (int i = 0; i < 3; i++) {
                try (RawQmpClient next = RawQmpClient.connect(qemu.qmpSocket(), WAIT)) {
                    assertThat(next.readLine(WAIT)).startsWith("{\"QMP\"");
                }
            }
        }
    }

    @Test
    void pausedPcWith64MiBIsInPrelaunch() throws Exception {
        QemuProcessBuilder builder = QemuProcess.builder().machine("pc").memoryMiB(64)
                .startPaused(true);
        try (QemuProcess qemu = builder.start();
                RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            JsonNode status = client.execute("{\"execute\":\"query-status\"}", WAIT).path("return");

            assertThat(status.path("status").asText()).isEqualTo("prelaunch");
            assertThat(status.path("running").asBoolean()).isFalse();
            JsonNode memory = client.execute("{\"execute\":\"query-memory-size-summary\"}", WAIT);
            assertThat(memory.path("return").path("base-memory").asLong()).isEqualTo(64L << 20);
        }
    }

    @Test
    void badExtraArgumentFailsClearlyAndLeavesNothingBehind() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        QemuProcessBuilder builder = QemuProcess.builder().temporaryRoot(root)
                .extraArgs("-no-such-option");

        assertThatThrownBy(builder::start)
                .isInstanceOfSatisfying(QemuStartException.class, e -> {
                    assertThat(e.exitCode()).hasValue(1);
                    assertThat(e.logTail()).contains("-no-such-option: invalid option");
                    assertThat(e.getMessage())
                            .startsWith("QEMU exited with code 1 before its QMP socket answered")
                            .contains("command line: ")
                            .contains("-qmp unix:" + root)
                            .contains("-no-such-option: invalid option");
                });
        assertThat(children(root)).isEmpty();
        assertThat(qemusUnder(root)).isEmpty();
    }

    /** Repeated: QEMU greets from its I/O thread before the main thread rejects the device. */
    @RepeatedTest(10)
    void badDeviceFailsEvenThoughQemuGreetsBeforeRejectingIt() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        QemuProcessBuilder builder = QemuProcess.builder().temporaryRoot(root)
                .extraArgs("-device", "no-such-device");

        assertThatThrownBy(builder::start)
                .isInstanceOf(QemuStartException.class)
                .hasMessageContaining("'no-such-device' is not a valid device model name");
        assertThat(children(root)).isEmpty();
        assertThat(qemusUnder(root)).isEmpty();
    }

    @Test
    void killEndsQemuAtOnceAndTheClientSeesEof() throws Exception {
        try (QemuProcess qemu = QemuProcess.start();
                RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            qemu.kill();

            assertThat(qemu.isAlive()).isFalse();
            assertThat(qemu.exitCode()).hasValue(137); // 128 + SIGKILL
            assertThatThrownBy(() -> client.readLine(WAIT)).isInstanceOf(EOFException.class);
            qemu.kill(); // harmless once dead
        }
    }

    @Test
    void suspendedQemuAnswersNothingUntilResumed() throws Exception {
        try (QemuProcess qemu = QemuProcess.start();
                RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            qemu.suspend();
            assertThat(qemu.isSuspended()).isTrue();
            assertThat(Signals.state(qemu.pid())).isEqualTo('T');

            client.send("{\"execute\":\"query-status\"}");
            assertThatThrownBy(() -> client.readLine(SHORT))
                    .isInstanceOf(SocketTimeoutException.class);

            qemu.resume();
            assertThat(qemu.isSuspended()).isFalse();
            assertThat(client.readReply(WAIT).path("return").path("status").asText())
                    .isEqualTo("running");
        }
    }

    @Test
    void closeEndsASuspendedQemuPromptly() throws Exception {
        QemuProcess qemu = QemuProcess.start();
        qemu.suspend();
        long t0 = System.nanoTime();

        qemu.close();

        assertThat(qemu.isAlive()).isFalse();
        assertThat(qemu.directory()).doesNotExist();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void closeWhileAClientHoldsTheMonitorUsesSigtermAndQemuExitsCleanly() throws Exception {
        QemuProcess qemu = QemuProcess.start();
        try (RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            qemu.close();

            assertThat(qemu.exitCode()).hasValue(0);
            assertThat(qemu.log()).contains("terminating on signal 15");
            assertThat(qemu.directory()).doesNotExist();
            assertThat(client.readJson(WAIT).path("event").asText()).isEqualTo("SHUTDOWN");
            assertThatThrownBy(() -> client.readLine(WAIT)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void terminateMakesQemuEmitShutdownAndExit() throws Exception {
        try (QemuProcess qemu = QemuProcess.start();
                RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            qemu.terminate();

            JsonNode event = client.readJson(WAIT);
            assertThat(event.path("event").asText()).isEqualTo("SHUTDOWN");
            assertThat(event.path("data").path("reason").asText()).isEqualTo("host-signal");
            assertThat(qemu.waitFor(WAIT)).hasValue(0);
        }
    }

    @Test
    void closeAfterQemuAlreadyQuitOnlyCleansUp() throws Exception {
        QemuProcess qemu = QemuProcess.start();
        try (RawQmpClient client = RawQmpClient.handshake(qemu.qmpSocket(), WAIT)) {
            assertThat(client.execute("{\"execute\":\"quit\"}", WAIT).has("return")).isTrue();
            assertThat(qemu.waitFor(WAIT)).hasValue(0);
            assertThat(qemu.isAlive()).isFalse();
        }

        qemu.close();

        assertThat(qemu.directory()).doesNotExist();
        assertThat(qemu.exitCode()).hasValue(0);
        assertThatThrownBy(qemu::suspend).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 0");
    }

    @Test
    void secondQmpSocketIsAnIndependentMonitor() throws Exception {
        try (QemuProcess qemu = QemuProcess.builder().secondQmpSocket(true).start();
                RawQmpClient holder = RawQmpClient.handshake(qemu.qmpSocket(), WAIT);
                RawQmpClient other = RawQmpClient.handshake(qemu.secondQmpSocket().orElseThrow(),
                        WAIT)) {
            other.execute("{\"execute\":\"quit\"}", WAIT);

            assertThat(qemu.waitFor(WAIT)).hasValue(0);
            assertThat(holder.readJson(WAIT).path("event").asText()).isEqualTo("SHUTDOWN");
        }
    }

    @Test
    void logIsKeptAfterClose() {
        QemuProcess qemu = QemuProcess.start();
        qemu.close();

        assertThat(qemu.logFile()).doesNotExist();
        assertThat(qemu.log()).contains("terminating on signal 15");
    }

    @Test
    void jvmExitWithoutCloseStillEndsQemuAndDeletesItsDirectory() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp",
                System.getProperty("java.class.path"), AbandoningMain.class.getName())
                .redirectErrorStream(true).start();
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.exitValue()).as(output).isZero();

        String[] pidAndDir = output.lines().reduce((a, b) -> b).orElseThrow().split(" ", 2);
        long pid = Long.parseLong(pidAndDir[0]);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Path.of(pidAndDir[1])).doesNotExist();
    }

    private static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static List<ProcessHandle> qemusUnder(Path root) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(root.toString()))
                .toList();
    }
}
