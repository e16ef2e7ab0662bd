package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Start, close, and what close() leaves behind (nothing). */
class FakeQmpServerLifecycleTest {

    @Test
    void startBindsASocketInAFreshTemporaryDirectory() throws Exception {
        try (FakeQmpServer a = new FakeQmpServer();
                FakeQmpServer b = new FakeQmpServer()) {
            a.start();
            b.start();
            assertThat(a.socketPath()).exists().isAbsolute();
            assertThat(a.socketPath().getParent()).isNotEqualTo(b.socketPath().getParent());
            assertThat(a.socketPath().getParent().getFileName().toString()).startsWith("qmp4j-fake-");
        }
    }

    @Test
    void closeStopsTheThreadAndRemovesTheDirectory() throws Exception {
        Path socket;
        try (FakeQmpServer server = new FakeQmpServer()) { // closes again on failure: no-op
            server.start();
            socket = server.socketPath();
            assertThat(serverThreads()).isNotEmpty().allMatch(Thread::isDaemon);
            server.close();
        }
        assertThat(socket).doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
        assertThat(liveServerThreadNames()).isEmpty();
    }

    @Test
    void closeDisconnectsTheClientAndStopsAPendingSlowReply() throws Exception {
        try (FakeQmpServer server =
                        FakeQmpServer.builder().slowDripInterval(Duration.ofMillis(500)).build();
                PlainQmpClient client = negotiatedClient(server)) {
            server.enqueue(ScriptedReply.ofFault(Fault.SLOW_DRIP));
            client.send("{\"execute\":\"x\"}");
            assertThat(client.staysSilentFor(Duration.ofMillis(200))).isFalse();
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEqualTo("{");
        }
        assertThat(liveServerThreadNames()).isEmpty();
    }

    @Test
    void closeWhileAClientWaitsInTheBacklogLeavesNoThread() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer();
                PlainQmpClient first = negotiatedClient(server);
                PlainQmpClient second = PlainQmpClient.connect(server.socketPath())) {
            server.enqueue(ScriptedReply.builder().delay(Duration.ofSeconds(30)).build());
            assertThat(second.staysSilentFor(Duration.ofMillis(20))).isTrue();
            first.send("{\"execute\":\"sleepy\"}");
            server.takeCommand(PlainQmpClient.WAIT);
            assertThat(server.takeCommand(PlainQmpClient.WAIT).name()).isEqualTo("sleepy");
            server.close();
            assertThat(first.readUntilClosed(PlainQmpClient.WAIT)).isEmpty();
        }
        assertThat(liveServerThreadNames()).isEmpty();
    }

    @Test
    void closeIsIdempotentAndWorksBeforeStart() throws Exception {
        FakeQmpServer neverStarted = new FakeQmpServer();
        neverStarted.close();
        neverStarted.close();
        assertThatThrownBy(neverStarted::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");

        try (FakeQmpServer server = new FakeQmpServer()) {
            server.start();
            server.close();
            server.close();
            assertThat(server.emitEvent("STOP", null)).isFalse();
        }
    }

    @Test
    void misuseFailsWithReadableMessages() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer()) {
            assertThatThrownBy(server::socketPath)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("start()");
            server.start();
            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
        }
        assertThatThrownBy(() -> FakeQmpServer.builder().slowDripInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeQmpServer.builder().oversizeLineBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyServersStartAndStopQuickly() throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            try (FakeQmpServer server = new FakeQmpServer();
                    PlainQmpClient client = connectAfterStart(server)) {
                assertThat(client.readLine()).startsWith("{\"QMP\"");
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(serverThreads()).isEmpty();
    }

    private static PlainQmpClient negotiatedClient(FakeQmpServer server) throws Exception {
        server.start();
        return PlainQmpClient.negotiated(server.socketPath());
    }

    private static PlainQmpClient connectAfterStart(FakeQmpServer server) throws Exception {
        server.start();
        return PlainQmpClient.connect(server.socketPath());
    }

    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("qmp4j-fake-server-"))
                .collect(Collectors.toSet());
    }

    /**
     * Names of live server threads. Test classes run one after another and every test closes its
     * servers, so after close() any live qmp4j-fake-server thread is a leak.
     */
    private static Set<String> liveServerThreadNames() {
        return serverThreads().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void temporaryDirectoryHoldsOnlyTheSocket() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer()) {
            server.start();
            try (var files = Files.list(server.socketPath().getParent())) {
                assertThat(files).containsExactly(server.socketPath());
            }
        }
    }
}
