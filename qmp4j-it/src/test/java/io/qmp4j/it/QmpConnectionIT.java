package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real QEMU for what only QEMU can show: big replies, load, kill, stop. */
@RequiresQemu
class QmpConnectionIT {
    private QemuProcess qemu;

    @BeforeEach
    void start() {
        qemu = QemuProcess.start();
    }

    @AfterEach
    void stop() {
        qemu.close();
    }

    private QmpConnection connect() {
        QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build();
        qmp.connect();
        return qmp;
    }

    @Test
    void parsesTheWholeSchemaLine() {
        try (QmpConnection qmp = connect()) {
            JsonNode schema = qmp.execute("query-qmp-schema");
            assertThat(schema.isArray()).isTrue();
            Set<String> commands = new HashSet<>();
            schema.forEach(e -> {
                if ("command".equals(e.path("meta-type").asText())) {
                    commands.add(e.path("name").asText());
                }
            });
            assertThat(commands).contains("query-status", "qmp_capabilities", "human-monitor-command", "quit");
            assertThat(schema.toString().length()).isGreaterThan(150_000);
        }
    }

    @Test
    void sixteenThreadsTimesAThousandMixedCommandsAllGetTheirOwnReply() throws Exception {
        AtomicInteger checked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (QmpConnection qmp = connect()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        mixedCall(qmp, thread, i);
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(checked).hasValue(16_000);
    }

    /** One command whose reply proves it is this call's own (the unknown names are unique). */
    private static void mixedCall(QmpConnection qmp, int thread, int i) {
        switch (i % 5) {
            case 0 -> assertThat(qmp.execute("query-status").get("status").asText()).isEqualTo("running");
            case 1 -> {
                String name = "x-missing-" + thread + "-" + i;
                assertThatThrownBy(() -> qmp.execute(name)).isInstanceOf(QmpCommandNotFoundException.class)
                        .hasMessage(name + ": CommandNotFound: The command " + name + " has not been found");
            }
            case 2 -> assertThat(qmp.execute("query-version").path("qemu").path("major").asInt()).isEqualTo(7);
            case 3 -> {
                String name = "x-async-" + thread + "-" + i;
                CompletableFuture<JsonNode> f = qmp.executeAsync(name);
                assertThat(f).failsWithin(Duration.ofSeconds(10))
                        .withThrowableThat().havingCause().withMessageContaining("The command " + name + " has");
            }
            default -> assertThat(qmp.execute("human-monitor-command", Map.of("command-line", "info status"))
                    .asText()).isEqualTo("VM status: running\r\n");
        }
    }

    @Test
    void aKilledQemuFailsPendingCallsPromptly() throws Exception {
        try (QmpConnection qmp = connect()) {
            qemu.suspend(); // keeps the calls pending until the kill
            List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pending.add(qmp.executeAsync("query-status", (JsonNode) null, Duration.ofSeconds(30)));
            }
            Thread.sleep(100);
            long t0 = System.nanoTime();
            qemu.kill();
            for (CompletableFuture<JsonNode> f : pending) {
                assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                        .havingCause().isInstanceOf(QmpConnectionClosedException.class);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).as("failure after SIGKILL took %d ms", ms).isLessThan(2000);
            qmp.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void aStoppedQemuTimesOutAndTheConnectionWorksAfterSigcont() {
        try (QmpConnection qmp = connect()) {
            qemu.suspend();
            assertThatThrownBy(() -> qmp.execute("query-status", (JsonNode) null, Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(QmpTimeoutException.class, e -> assertThat(e.wasSent()).isTrue());
            qemu.resume();
            // the late reply of the timed-out call is absorbed; this one gets its own
            assertThat(qmp.execute("query-version").has("qemu")).isTrue();
            assertThatThrownBy(() -> qmp.execute("x-after-resume")).hasMessageContaining("x-after-resume");
        }
    }

    @Test
    void aLineOverTheConfiguredCapEndsTheConnectionWithAProtocolError() {
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).maxMessageBytes(64 * 1024).build()) {
            qmp.connect();
            assertThatThrownBy(() -> qmp.execute("query-qmp-schema"))
                    .isInstanceOf(QmpProtocolException.class)
                    .hasMessageContaining("exceeds the maximum size of 65536 bytes")
                    .hasMessageContaining("{\"return\": [");
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class);
        }
    }

    @Test
    void aMonitorHeldByAnotherClientGivesAGreetingTimeoutAndNothingLeaks() throws Exception {
        try (QmpConnection first = connect()) {
            long fds = Leaks.openFds();
            QmpConnection second = QmpConnection.builder(qemu.qmpSocket())
                    .connectTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(second::connect).isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("no QMP greeting");
            assertThat(second.state()).isEqualTo(ConnectionState.IDLE);
            assertThat(Leaks.openFds()).isEqualTo(fds);
            assertThat(first.execute("query-status").has("status")).isTrue();
        }
    }

    @Test
    void aMissingSocketIsAConnectErrorAndLeavesNoThreadOrFd() throws Exception {
        long fds = Leaks.openFds();
        QmpConnection qmp = QmpConnection.builder(Path.of("/nonexistent/qmp.sock")).build();
        assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                .hasMessageContaining("cannot connect to QMP socket /nonexistent/qmp.sock: no such file");
        QmpConnection notASocket = QmpConnection.builder(qemu.logFile()).build();
        assertThatThrownBy(notASocket::connect).isInstanceOf(QmpConnectException.class)
                .hasMessageContaining("it is not a socket (a regular file)");
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        assertThat(Leaks.qmp4jThreadsAfterSettling()).isZero();
        assertThat(Leaks.openFds()).isEqualTo(fds);
    }

    @Test
    void aHundredConnectCloseCyclesLeaveNoThreadOrFd() throws Exception {
        try (QmpConnection warm = connect()) {
            warm.execute("query-status");
        }
        long fds = Leaks.openFds();
        for (int i = 0; i < 100; i++) {
            try (QmpConnection qmp = connect()) {
                qmp.executeAsync("query-status");
                qmp.executeAsync("query-version");
            }
        }
        assertThat(Leaks.qmp4jThreadsAfterSettling()).isZero();
        assertThat(Leaks.openFds()).isEqualTo(fds);
    }

    @Test
    void closeFailsInFlightCallsAtOnce() {
        QmpConnection qmp = connect();
        qemu.suspend();
        CompletableFuture<JsonNode> pending = qmp.executeAsync("query-status", (JsonNode) null, Duration.ofSeconds(30));
        qmp.close();
        assertThat(pending).failsWithin(Duration.ofSeconds(2)).withThrowableThat().havingCause()
                .isInstanceOf(QmpConnectionClosedException.class).withMessageContaining("closed by close()");
        qmp.close();
        qemu.resume();
    }
}
