package io.qmp4j.it.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionEvent;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpListener;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuBinary;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every transport against real QEMU: TCP (IPv4, IPv6), listen mode, stdio, wait-for-socket, reconnect. */
@RequiresQemu
class TransportsIT {
    @TempDir
    Path tmp;

    @Test
    void tcpOverIpv4() {
        try (QemuProcess qemu = QemuProcess.builder().extraArgs(Monitors.tcpServer("m4", "127.0.0.1")).start();
                QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", Monitors.tcpPort(qemu, "m4")))
                        .build()) {
            qmp.connect();
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
            assertThat(qmp.capabilities()).contains("oob");
            pipelinedCallsAllAnswered(qmp);
        }
    }

    @Test
    void tcpOverIpv6Loopback() {
        try (QemuProcess qemu = QemuProcess.builder().extraArgs(Monitors.tcpServer("m6", "::1")).start();
                QmpConnection qmp = QmpConnection.builder(QmpAddress.parse("tcp:[::1]:" + Monitors.tcpPort(qemu, "m6")))
                        .build()) {
            qmp.connect();
            assertThat(qmp.address().toString()).startsWith("tcp:[::1]:");
            assertThat(qmp.execute("query-version").path("qemu").path("major").asInt()).isGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void tcpConnectionRefusedIsAClearConnectError() throws IOException {
        int freePort;
        try (var s = new java.net.ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        QmpConnection qmp = QmpConnection.builder(QmpAddress.tcp("127.0.0.1", freePort)).build();
        assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                .hasMessageContaining("tcp:127.0.0.1:" + freePort).hasMessageContaining("refused");
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
    }

    @Test
    void listenModeAcceptsSeveralQemus() throws InterruptedException {
        Path sock = tmp.resolve("listen.sock");
        try (QmpListener listener = QmpListener.bind(QmpAddress.unix(sock), b -> b.commandTimeout(Duration.ofSeconds(3)))) {
            String[] client = {"-chardev", "socket,id=back,path=" + sock, "-mon", "chardev=back,mode=control"};
            try (QemuProcess a = QemuProcess.builder().extraArgs(client).start();
                    QemuProcess b = QemuProcess.builder().extraArgs(client).start();
                    QmpConnection first = listener.accept(Duration.ofSeconds(10));
                    QmpConnection second = listener.accept(Duration.ofSeconds(10))) {
                assertThat(first.execute("query-status").path("status").asText()).isEqualTo("running");
                assertThat(second.execute("query-status").path("status").asText()).isEqualTo("running");
                assertThat(first.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
                // Each accepted connection talks to a different QEMU: quit one, the other stays.
                first.execute("quit");
                first.closeFuture().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
                assertThat(second.execute("query-status").path("status").asText()).isEqualTo("running");
                waitFor(() -> a.isAlive() != b.isAlive(), "one QEMU to exit");
            }
            assertThatThrownBy(() -> listener.accept(Duration.ofMillis(200))).isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining(sock.toString());
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void listenModeOverTcp() {
        try (QmpListener listener = QmpListener.bind(QmpAddress.tcp("127.0.0.1", 0))) {
            int port = ((QmpAddress.Tcp) listener.address()).port();
            assertThat(port).isPositive();
            try (QemuProcess qemu = QemuProcess.builder().extraArgs("-chardev",
                            "socket,id=back,host=127.0.0.1,port=" + port, "-mon", "chardev=back,mode=control").start();
                    QmpConnection qmp = listener.accept(Duration.ofSeconds(10))) {
                assertThat(qmp.execute("query-name")).isNotNull();
            }
        }
    }

    @Test
    void listeningOnAnExistingPathIsRefused() throws IOException {
        Path taken = Files.createFile(tmp.resolve("taken"));
        assertThatThrownBy(() -> QmpListener.bind(QmpAddress.unix(taken))).isInstanceOf(QmpConnectException.class)
                .hasMessageContaining("exists already");
    }

    @Test
    void stdioOfAChildProcess() throws Exception {
        Process qemu = new ProcessBuilder(QemuBinary.require().path().toString(), "-machine", "none", "-nodefaults",
                "-display", "none", "-qmp", "stdio").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (QmpConnection qmp = QmpConnection.builder(QmpAddress.stdio(qemu)).build()) {
            qmp.connect();
            assertThat(qmp.greeting().version().major()).isGreaterThanOrEqualTo(7);
            pipelinedCallsAllAnswered(qmp);
            JsonNode schema = qmp.execute("query-qmp-schema"); // 207 KB through the pipe
            assertThat(schema.size()).isGreaterThan(1000);
            qmp.execute("quit");
            assertThat(qemu.waitFor(5, TimeUnit.SECONDS)).isTrue();
            qmp.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
        } finally {
            qemu.destroyForcibly();
        }
    }

    @Test
    void waitsForASocketThatAppearsLater() throws Exception {
        Path sock = tmp.resolve("late.sock");
        QmpConnection qmp = QmpConnection.builder(sock).waitForSocket(Duration.ofSeconds(10)).build();
        CompletableFuture<QemuProcess> qemu = CompletableFuture.supplyAsync(() -> {
            sleep(300);
            return QemuProcess.builder().extraArgs("-qmp", "unix:" + sock + ",server=on,wait=off").start();
        });
        try {
            long start = System.nanoTime();
            qmp.connect();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
        } finally {
            qmp.close();
            qemu.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aSocketThatNeverAppearsFailsNamingThePath() {
        Path sock = tmp.resolve("never.sock");
        QmpConnection qmp = QmpConnection.builder(sock).waitForSocket(Duration.ofMillis(400)).build();
        long start = System.nanoTime();
        assertThatThrownBy(qmp::connect).isInstanceOf(QmpConnectException.class)
                .hasMessageContaining(sock.toString()).hasMessageContaining("did not appear within 400 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(380), Duration.ofSeconds(3));
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
    }

    @Test
    void reconnectsWhenQemuIsKilledAndRestartedOnTheSamePath() throws Exception {
        Path sock = tmp.resolve("vm.sock");
        String[] monitor = {"-qmp", "unix:" + sock + ",server=on,wait=off"};
        List<ConnectionEvent> seen = new CopyOnWriteArrayList<>();
        QemuProcess first = QemuProcess.builder().extraArgs(monitor).start();
        QemuProcess second = null;
        try (QmpConnection qmp = QmpConnection.builder(sock).reconnect(Duration.ofSeconds(20))
                .eventExecutor(Runnable::run).build()) {
            qmp.addStateListener(seen::add);
            qmp.connect();
            var stops = qmp.subscribe(EventFilter.named("STOP"));
            // A command in flight when QEMU dies fails; it is not replayed.
            first.suspend();
            CompletableFuture<JsonNode> inFlight = qmp.executeAsync("query-status");
            first.kill();
            assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    QmpConnectionClosedException.class);
            waitFor(() -> qmp.state() == ConnectionState.RECONNECTING, "RECONNECTING");
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("reconnecting");

            second = QemuProcess.builder().extraArgs(monitor).start();
            waitFor(() -> qmp.state() == ConnectionState.RUNNING, "RUNNING again");
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
            qmp.execute("stop"); // the subscription made before the loss still works
            assertThat(stops.poll(Duration.ofSeconds(5))).isPresent();
            assertThat(seen).extracting(ConnectionEvent::kind).containsExactly(ConnectionEvent.Kind.CONNECTED,
                    ConnectionEvent.Kind.LOST, ConnectionEvent.Kind.RECONNECTED);
            assertThat(seen.get(1).cause()).isInstanceOf(QmpConnectionClosedException.class);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
        assertThat(seen).extracting(ConnectionEvent::kind).endsWith(ConnectionEvent.Kind.CLOSED);
    }

    @Test
    void reconnectGivesUpAfterItsDeadline() throws Exception {
        Path sock = tmp.resolve("gone.sock");
        List<ConnectionEvent> seen = new CopyOnWriteArrayList<>();
        try (QemuProcess qemu = QemuProcess.builder().extraArgs("-qmp", "unix:" + sock + ",server=on,wait=off").start();
                QmpConnection qmp = QmpConnection.builder(sock).reconnect(Duration.ofMillis(500))
                        .eventExecutor(Runnable::run).build()) {
            qmp.addStateListener(seen::add);
            qmp.connect();
            qemu.kill();
            qmp.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(seen).extracting(ConnectionEvent::kind).containsExactly(ConnectionEvent.Kind.CONNECTED,
                    ConnectionEvent.Kind.LOST, ConnectionEvent.Kind.CLOSED);
            assertThat(seen.get(2).cause()).hasMessageContaining("not re-established within 500 ms");
        }
    }

    /** 200 calls from one thread without waiting, each answered with its own reply. */
    private static void pipelinedCallsAllAnswered(QmpConnection qmp) {
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(i % 2 == 0 ? qmp.executeAsync("query-status")
                    : qmp.executeAsync("qom-get", Map.of("path", "/machine", "property", "type")));
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode r = calls.get(i).join();
            if (i % 2 == 0) {
                assertThat(r.path("status").asText()).isEqualTo("running");
            } else {
                assertThat(r.asText()).endsWith("-machine");
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
