package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.ConnectionEvent;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpListener;
import io.qmp4j.QmpAddress;
import io.qmp4j.testkit.FakeQmpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse and life-cycle guards that need no QEMU: the fake server stands in. */
class ConnectionGuardsTest {
    @TempDir
    Path tmp;

    @Test
    void blockingExecuteOnAnIoThreadFailsAtOnceAndSendsNothing() throws Exception {
        try (FakeQmpServer server = new FakeQmpServer()) {
            server.start();
            try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
                qmp.connect();
                CompletableFuture<Object> nested = qmp.executeAsync("query-status")
                        .thenApply(status -> qmp.execute("query-version"));
                assertThatThrownBy(() -> nested.get(2, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("qmp4j I/O thread").hasMessageContaining("nothing was sent");
                assertThat(server.takeCommand(Duration.ofSeconds(1)).name()).isEqualTo("qmp_capabilities");
                assertThat(server.takeCommand(Duration.ofSeconds(1)).name()).isEqualTo("query-status");
                assertThat(qmp.execute("query-version")).isNotNull(); // the loop was never blocked
                assertThat(server.takeCommand(Duration.ofSeconds(1)).name()).isEqualTo("query-version");
            }
        }
    }

    @Test
    void stateListenersHearConnectAndClose() throws Exception {
        List<ConnectionEvent> seen = new CopyOnWriteArrayList<>();
        try (FakeQmpServer server = new FakeQmpServer()) {
            server.start();
            QmpConnection qmp = QmpConnection.builder(server.socketPath()).eventExecutor(Runnable::run).build();
            qmp.addStateListener(seen::add);
            qmp.connect();
            qmp.close();
        }
        assertThat(seen).extracting(ConnectionEvent::kind)
                .containsExactly(ConnectionEvent.Kind.CONNECTED, ConnectionEvent.Kind.CLOSED);
        assertThat(seen.get(1).cause()).isNull();
    }

    @Test
    void listenerClosesUnacceptedConnectionsAndRemovesItsSocket() throws Exception {
        Path sock = tmp.resolve("l.sock");
        QmpListener listener = QmpListener.bind(QmpAddress.unix(sock));
        assertThat(Files.exists(sock)).isTrue();
        try (var peer = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
            listener.close();
            peer.configureBlocking(false);
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (read == 0 && System.nanoTime() < deadline) {
                try {
                    read = peer.read(java.nio.ByteBuffer.allocate(16));
                } catch (java.io.IOException reset) {
                    read = -1; // closed with a reset: also closed
                }
                if (read == 0) {
                    Thread.sleep(10);
                }
            }
            assertThat(read).as("the unaccepted connection is closed within 5 s").isEqualTo(-1);
        }
        assertThat(sock).doesNotExist();
        listener.close(); // idempotent
    }
}
