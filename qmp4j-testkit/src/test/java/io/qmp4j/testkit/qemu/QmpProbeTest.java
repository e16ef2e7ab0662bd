package io.qmp4j.testkit.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The readiness probe against a plain JDK UNIX server standing in for QEMU. */
class QmpProbeTest {

    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22,"
            + " \"minor\": 2, \"major\": 7}, \"package\": \"Debian\"},"
            + " \"capabilities\": [\"oob\"]}}";
    private static final String CAPABILITIES = "{\"execute\":\"qmp_capabilities\"}";
    private static final String EVENT = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2},"
            + " \"event\": \"RESUME\"}";

    @TempDir
    Path tmp;

    @Test
    void handshakeReadsGreetingSendsCapabilitiesAndSkipsEvents() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            CompletableFuture<String> served = serve(server, c -> {
                write(c, GREETING.substring(0, 10));
                Thread.sleep(20); // the greeting arrives in two pieces
                write(c, GREETING.substring(10) + "\r\n");
                String request = readBytes(c, CAPABILITIES.length());
                write(c, EVENT + "\r\n{\"return\": {}}\r\n");
                return request;
            });

            assertThat(QmpProbe.handshake(socket, deadlineInMillis(2000))).isEqualTo(GREETING);
            assertThat(served.get(2, TimeUnit.SECONDS)).isEqualTo(CAPABILITIES);
        }
    }

    @Test
    void silentServerTimesOutAtTheDeadline() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            assertThat(server.isOpen()).isTrue(); // it listens but never accepts
            long start = System.nanoTime();

            assertThatThrownBy(() -> QmpProbe.handshake(socket, deadlineInMillis(100)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isBetween(90L, 2000L);
        }
    }

    @Test
    void greetingWithoutAnswerTimesOut() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            serve(server, c -> {
                write(c, GREETING + "\r\n");
                Thread.sleep(1000);
                return null;
            });

            assertThatThrownBy(() -> QmpProbe.handshake(socket, deadlineInMillis(200)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closeBeforeTheAnswerIsARetryableIoFailure() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            serve(server, c -> {
                write(c, GREETING + "\r\n");
                return null;
            });

            // EOF, or "Broken pipe" if the close wins the race with our qmp_capabilities
            assertThatThrownBy(() -> QmpProbe.handshake(socket, deadlineInMillis(2000)))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(QmpProbe.NotQmpException.class);
        }
    }

    @Test
    void otherFirstLineIsNotQmp() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            serve(server, c -> {
                write(c, "SSH-2.0-OpenSSH_9.2\r\n");
                return null;
            });

            assertThatThrownBy(() -> QmpProbe.handshake(socket, deadlineInMillis(2000)))
                    .isInstanceOf(QmpProbe.NotQmpException.class)
                    .hasMessageContaining("something other than a QMP greeting: SSH-2.0");
        }
    }

    @Test
    void refusedCapabilitiesIsNotQmp() throws Exception {
        Path socket = tmp.resolve("s");
        try (ServerSocketChannel server = listen(socket)) {
            serve(server, c -> {
                write(c, GREETING + "\r\n");
                readBytes(c, CAPABILITIES.length());
                write(c, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}\r\n");
                Thread.sleep(500);
                return null;
            });

            assertThatThrownBy(() -> QmpProbe.handshake(socket, deadlineInMillis(2000)))
                    .isInstanceOf(QmpProbe.NotQmpException.class)
                    .hasMessageContaining("answered qmp_capabilities with {\"error\"");
        }
    }

    @Test
    void missingSocketIsAnIoException() {
        assertThatThrownBy(() -> QmpProbe.handshake(tmp.resolve("none"), deadlineInMillis(100)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void greetingIsAJsonObjectWithKeyQmp() {
        assertThat(QmpProbe.isGreeting(GREETING)).isTrue();
        assertThat(QmpProbe.isGreeting("{\"QMP\": {}}")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "QMP", "[\"QMP\"]", "{\"return\": {}}", "{\"QMP\": ", "null"})
    void otherLinesAreNotGreetings(String line) {
        assertThat(QmpProbe.isGreeting(line)).isFalse();
    }

    /** What the fake server does with its one accepted connection. */
    private interface Script {
        String run(SocketChannel c) throws IOException, InterruptedException;
    }

    private static long deadlineInMillis(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    private static CompletableFuture<String> serve(ServerSocketChannel server, Script script) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel c = server.accept()) {
                return script.run(c);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String readBytes(SocketChannel c, int count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(count);
        while (b.hasRemaining() && c.read(b) >= 0) {
            // blocking channel: each read returns what has arrived
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }
}
