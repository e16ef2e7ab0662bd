package io.qmp4j.it.qga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.qga.FsfreezeStatus;
import io.qmp4j.qga.QgaConnection;
import io.qmp4j.qga.QgaExecResult;
import io.qmp4j.qga.QgaInfo;
import io.qmp4j.qga.QgaNetworkInterface;
import io.qmp4j.qga.ShutdownMode;
import io.qmp4j.testkit.junit.RequiresQemuGa;
import io.qmp4j.testkit.qga.QgaProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QgaConnection against a real qemu-ga running on the host in unix-listen mode. */
@RequiresQemuGa
class QgaConnectionIT {
    private QgaProcess agent;

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

    private QgaConnection connect(QgaProcess to) {
        QgaConnection ga = QgaConnection.builder(to.socketPath()).build();
        ga.connect();
        return ga;
    }

    @Test
    void pingInfoAndTheHostDescribingHelpers() throws IOException {
        try (QgaConnection ga = connect(agent)) {
            ga.ping();
            QgaInfo info = ga.info();
            assertThat(info.version()).matches("\\d+\\.\\d+.*");
            assertThat(info.supports("guest-exec")).isTrue();
            assertThat(info.supports("guest-shutdown")).as("blocked by the test kit").isFalse();
            assertThat(ga.getOsInfo().machine()).isEqualTo(execText(ga, "/bin/uname", "-m").strip());
            assertThat(ga.getHostName()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
            assertThat(Duration.between(ga.getTime(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
            List<QgaNetworkInterface> nics = ga.networkInterfaces();
            assertThat(nics).anySatisfy(n -> {
                assertThat(n.name()).isEqualTo("lo");
                assertThat(n.ipAddresses()).anySatisfy(a -> assertThat(a.address()).isEqualTo("127.0.0.1"));
            });
        }
    }

    private static String execText(QgaConnection ga, String path, String... args) {
        return ga.exec(path, List.of(args), Map.of(), null).stdoutText();
    }

    @Test
    void execReturnsExitCodeAndDecodedOutput() {
        try (QgaConnection ga = connect(agent)) {
            QgaExecResult echo = ga.exec("/bin/echo", List.of("hello", "wörld"), Map.of(), null);
            assertThat(echo.succeeded()).isTrue();
            assertThat(echo.exitCode()).hasValue(0);
            assertThat(echo.stdoutText()).isEqualTo("hello wörld\n");
            assertThat(echo.stderr()).isEmpty();

            QgaExecResult cat = ga.exec("/bin/sh", List.of("-c", "cat; echo \"$GREETING\""), Map.of("GREETING", "hi"),
                    "from stdin\n".getBytes(StandardCharsets.UTF_8));
            assertThat(cat.stdoutText()).isEqualTo("from stdin\nhi\n");
        }
    }

    @Test
    void aFailingProgramIsAResultAndAMissingOneACommandError() {
        try (QgaConnection ga = connect(agent)) {
            QgaExecResult failed = ga.exec("/bin/sh", List.of("-c", "echo oops >&2; exit 3"), Map.of(), null);
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.exitCode()).hasValue(3);
            assertThat(failed.stderrText()).isEqualTo("oops\n");

            QgaExecResult killed = ga.exec("/bin/sh", List.of("-c", "kill -9 $$"), Map.of(), null);
            assertThat(killed.exitCode()).isEmpty();
            assertThat(killed.signal()).hasValue(9);

            assertThatThrownBy(() -> ga.exec("/nonexistent/tool", List.of(), Map.of(), null))
                    .isInstanceOf(QmpCommandException.class)
                    .hasMessageContaining("guest-exec").hasMessageContaining("No such file");
            ga.ping(); // still usable
        }
    }

    @Test
    void execGivesUpAfterItsTimeoutWhileTheProgramRuns() {
        try (QgaConnection ga = connect(agent)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ga.exec("/bin/sleep", List.of("5"), Map.of(), null, Duration.ofMillis(300)))
                    .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("may still be running");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            ga.ping();
        }
    }

    @Test
    void copiesAFiveMegabyteFileBothWaysByteForByte() throws IOException {
        byte[] data = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        Path source = local.resolve("source.bin");
        Files.write(source, data);
        Path remote = agent.directory().resolve("copied.bin");
        Path back = local.resolve("back.bin");
        List<long[]> progress = new ArrayList<>();
        try (QgaConnection ga = connect(agent)) {
            long sent = ga.copyToGuest(source, remote.toString(), (done, total) -> progress.add(new long[] {done, total}));
            assertThat(sent).isEqualTo(data.length);
            assertThat(Files.readAllBytes(remote)).isEqualTo(data);
            assertThat(progress.get(0)).containsExactly(0, data.length);
            assertThat(progress.get(progress.size() - 1)).containsExactly(data.length, data.length);
            assertThat(progress).as("one update per 1 MiB chunk, plus the start").hasSize(7);

            progress.clear();
            long received = ga.copyFromGuest(remote.toString(), back, (done, total) -> progress.add(new long[] {done, total}));
            assertThat(received).isEqualTo(data.length);
            assertThat(Files.readAllBytes(back)).isEqualTo(data);
            assertThat(progress.get(progress.size() - 1)).containsExactly(data.length, data.length);
        }
        try (var left = Files.list(local)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no .part file left")
                    .containsExactlyInAnyOrder("source.bin", "back.bin");
        }
    }

    @Test
    void aFailedCopyFromTheGuestLeavesTheLocalFileAlone() throws IOException {
        Path target = local.resolve("keep.txt");
        Files.writeString(target, "before");
        try (QgaConnection ga = connect(agent)) {
            assertThatThrownBy(() -> ga.copyFromGuest("/nonexistent/file", target, null))
                    .isInstanceOf(QmpCommandException.class).hasMessageContaining("guest-file-open")
                    .hasMessageContaining("No such file");
            assertThat(Files.readString(target)).isEqualTo("before");
        }
    }

    @Test
    void connectResynchronisesAfterAnEarlierClientLeftGarbageInTheAgent() throws IOException {
        try (SocketChannel previous = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            previous.connect(UnixDomainSocketAddress.of(agent.socketPath()));
            // a command, garbage, and an unfinished command that leaves the
            // agent's JSON parser inside an array: without the 0xFF reset our sync would become
            // part of that array and never be answered
            previous.write(ByteBuffer.wrap("{\"execute\":\"guest-ping\"}]]{\"execute\":\"guest-info\",\"arguments\":{\"x\":["
                    .getBytes(StandardCharsets.UTF_8)));
            // Let the agent answer the ping before we leave: closing first races its write, and the
            // agent then refused every connection for 5 s in 2 of 3 CI runs (cause not pinned down).
            awaitReplyLine(previous);
        }
        try (QgaConnection ga = connect(agent)) {
            assertThat(ga.getHostName()).isNotEmpty();
            ga.ping();
        }
    }

    /** Reads {@code channel} until a line end arrives, for at most 5 s. */
    private static void awaitReplyLine(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(256);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int n = channel.read(buffer);
            if (n < 0 || new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).contains("\n")) {
                return;
            }
            if (n == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!buffer.hasRemaining()) {
                buffer.clear();
            }
        }
    }

    @Test
    void theLateReplyOfATimedOutCommandNeverReachesTheNextCaller() throws Exception {
        try (QgaConnection ga = connect(agent)) {
            agent.suspend();
            assertThatThrownBy(() -> ga.execute("guest-info", (com.fasterxml.jackson.databind.JsonNode) null,
                    Duration.ofMillis(200))).isInstanceOfSatisfying(QmpTimeoutException.class,
                            e -> assertThat(e.wasSent()).isTrue());
            agent.resume(); // guest-info's reply now arrives, unclaimed
            String host = ga.getHostName();
            assertThat(host).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        }
    }

    @Test
    void aStuckAgentBlocksNeitherItsCallerPastTheTimeoutNorAnotherVm() throws Exception {
        try (QgaProcess other = QgaProcess.start();
                QgaConnection stuck = connect(agent);
                QgaConnection fine = connect(other)) {
            agent.suspend();
            long start = System.nanoTime();
            CompletableFuture<?> pending = stuck.executeAsync("guest-ping", (com.fasterxml.jackson.databind.JsonNode) null,
                    Duration.ofMillis(500));
            for (int i = 0; i < 20; i++) {
                fine.ping();
            }
            assertThat(pending).isNotDone();
            assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(QmpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            agent.resume();
            stuck.ping();
        }
    }

    @Test
    void anAgentKilledMidCommandFailsTheCallAtOnceAndClosesTheConnection() throws Exception {
        QgaConnection ga = connect(agent);
        try {
            agent.suspend();
            CompletableFuture<?> inFlight = ga.executeAsync("guest-info", (com.fasterxml.jackson.databind.JsonNode) null,
                    Duration.ofSeconds(30));
            Thread.sleep(100);
            long start = System.nanoTime();
            agent.kill();
            assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("guest-info").hasMessageContaining("channel was closed")
                    .hasMessageContaining("was sent");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            ga.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(ga.state()).isEqualTo(ConnectionState.CLOSED);
            assertThatThrownBy(ga::ping).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("nothing was sent");
        } finally {
            ga.close();
        }
    }

    @Test
    void fsfreezeWithoutPrivilegesFailsAndLeavesTheFilesystemsThawed() {
        assumeThat(agent.isUnprivileged()).as("the agent must not be able to freeze the host").isTrue();
        try (QgaConnection ga = connect(agent)) {
            assertThat(ga.fsfreezeStatus()).isEqualTo(FsfreezeStatus.THAWED);
            assertThatThrownBy(ga::fsfreezeFreeze).isInstanceOfSatisfying(QmpCommandException.class, e -> {
                assertThat(e.command()).isEqualTo("guest-fsfreeze-freeze");
                assertThat(e.description()).contains("Operation not permitted");
            });
            assertThat(ga.fsfreezeStatus()).isEqualTo(FsfreezeStatus.THAWED);
        }
    }

    @Test
    void aRefusedShutdownIsReportedThoughTheAgentAnswersShutdownOnlyOnFailure() {
        try (QgaConnection ga = connect(agent)) {
            assertThatThrownBy(() -> ga.shutdown(ShutdownMode.POWERDOWN))
                    .isInstanceOf(QmpCommandNotFoundException.class).hasMessageContaining("has been disabled");
            ga.ping();
        }
    }

    @Test
    void connectingToASocketWhereNoAgentAnswersTimesOutAndLeavesNothingOpen() throws Exception {
        agent.suspend();
        QgaConnection ga = QgaConnection.builder(agent.socketPath()).connectTimeout(Duration.ofMillis(700))
                .syncTimeout(Duration.ofMillis(200)).build();
        long start = System.nanoTime();
        assertThatThrownBy(ga::connect).isInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("did not answer guest-sync-delimited").hasMessageContaining("qemu-ga running");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(600), Duration.ofSeconds(2));
        assertThat(ga.state()).isEqualTo(ConnectionState.IDLE);
        agent.resume();
        ga.connect(); // a failed connect can be retried
        ga.ping();
        ga.close();
    }
}
