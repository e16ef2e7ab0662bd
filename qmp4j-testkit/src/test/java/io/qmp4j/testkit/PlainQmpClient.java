package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A deliberately plain JDK client for testing the fake server: raw bytes out, lines in, every wait
 * bounded. Independent of qmp4j-core.
 */
final class PlainQmpClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Selector selector;
    private byte[] buffer = new byte[8192];
    private int length;
    private boolean eof;
    private int reads;

    private PlainQmpClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    static PlainQmpClient connect(Path socket) throws IOException {
        return new PlainQmpClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /** Connects, reads the greeting, negotiates capabilities and checks the empty return. */
    static PlainQmpClient negotiated(Path socket) throws IOException {
        PlainQmpClient client = connect(socket);
        client.readLine();
        client.send("{\"execute\":\"qmp_capabilities\"}");
        String reply = client.readLine();
        if (!"{\"return\": {}}".equals(reply)) {
            throw new AssertionError("negotiation failed: " + reply);
        }
        return client;
    }

    void send(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Sends a request and returns the next line. */
    String call(String request) throws IOException {
        send(request);
        return readLine();
    }

    /** Reads one line within {@link #WAIT}, without its {@code \r\n}; fails on timeout or EOF. */
    String readLine() throws IOException {
        return readLine(WAIT);
    }

    String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int end = indexOfCrlf();
            if (end >= 0) {
                String line = new String(buffer, 0, end, StandardCharsets.UTF_8);
                consume(end + 2);
                return line;
            }
            if (eof) {
                throw new AssertionError("connection closed; unterminated bytes: " + pending());
            }
            if (!fill(deadline)) {
                throw new AssertionError("no full line within " + timeout + "; have: " + pending());
            }
        }
    }

    JsonNode readJson() throws IOException {
        return JSON.readTree(readLine());
    }

    /** Reads until the server closes; returns what came, fails if it stays open past timeout. */
    String readUntilClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            if (!fill(deadline)) {
                throw new AssertionError("still open after " + timeout + "; have: " + pending());
            }
        }
        String rest = pending();
        consume(length);
        return rest;
    }

    /**
     * Reads and discards bytes up to and including the first {@code \n}, without keeping them;
     * returns how many there were. Fails if the line does not end within {@code timeout}.
     */
    long countBytesUntilNewline(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        ByteBuffer scratch = ByteBuffer.allocate(256 * 1024);
        while (System.nanoTime() < deadline) {
            selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            selector.selectedKeys().clear();
            scratch.clear();
            int n = channel.read(scratch);
            if (n < 0) {
                throw new AssertionError("closed after " + count + " bytes without a newline");
            }
            for (int i = 0; i < n; i++) {
                if (scratch.get(i) == '\n') {
                    return count + i + 1;
                }
            }
            count += n;
        }
        throw new AssertionError("no newline within " + timeout + " after " + count + " bytes");
    }

    /** Returns true if nothing arrives (and the connection stays open) for {@code duration}. */
    boolean staysSilentFor(Duration duration) throws IOException {
        long deadline = System.nanoTime() + duration.toNanos();
        int before = length;
        while (fill(deadline)) {
            if (length > before || eof) {
                return false;
            }
        }
        return length == before && !eof;
    }

    /** Bytes received but not yet consumed as lines. */
    String pending() {
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** How many reads returned data so far. */
    int reads() {
        return reads;
    }

    boolean isClosedByServer() {
        return eof;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }

    /** Waits for data until the deadline; returns false on timeout. */
    private boolean fill(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
        if (n < 0) {
            eof = true;
        } else if (n > 0) {
            length += n;
            reads++;
        }
        return true;
    }

    private int indexOfCrlf() {
        for (int i = 0; i + 1 < length; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void consume(int n) {
        System.arraycopy(buffer, n, buffer, 0, length - n);
        length -= n;
    }
}
