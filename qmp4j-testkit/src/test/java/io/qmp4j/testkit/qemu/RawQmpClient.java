package io.qmp4j.testkit.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately tiny QMP client for the launcher's own tests, written on the raw JDK UNIX socket
 * so that these tests do not depend on qmp4j-core. Every read is bounded by a timeout.
 */
final class RawQmpClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private RawQmpClient(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /** Connects (non-blocking, so a full backlog cannot hang the test). */
    static RawQmpClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = Selector.open();
        try {
            ch.configureBlocking(false);
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                SelectionKey key = ch.register(sel, SelectionKey.OP_CONNECT);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!ch.finishConnect()) {
                    select(sel, deadline);
                }
                key.cancel();
                sel.selectNow();
            }
            ch.register(sel, SelectionKey.OP_READ);
            return new RawQmpClient(ch, sel);
        } catch (IOException | RuntimeException e) {
            sel.close();
            ch.close();
            throw e;
        }
    }

    /** Connects, reads the greeting and negotiates capabilities: ready for commands. */
    static RawQmpClient handshake(Path socket, Duration timeout) throws IOException {
        RawQmpClient c = connect(socket, timeout);
        try {
            JsonNode greeting = c.readJson(timeout);
            if (!greeting.has("QMP")) {
                throw new IOException("not a greeting: " + greeting);
            }
            c.send("{\"execute\":\"qmp_capabilities\"}");
            JsonNode ret = c.readReply(timeout);
            if (!ret.has("return")) {
                throw new IOException("qmp_capabilities failed: " + ret);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Writes {@code json} (no line end needed: QEMU ends a request at its closing brace). */
    void send(String json) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out); // a few bytes; the kernel buffer takes them at once
        }
    }

    /** Reads one line (without "\r\n") or throws SocketTimeoutException / EOFException. */
    String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    buffer.compact();
                    String s = line.toString(StandardCharsets.UTF_8).stripTrailing();
                    line.reset();
                    return s;
                }
                line.write(b);
            }
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                throw new EOFException("QMP socket closed");
            }
            if (n == 0) {
                select(selector, deadline);
            }
        }
    }

    /** Reads one line as JSON. */
    JsonNode readJson(Duration timeout) throws IOException {
        return JSON.readTree(readLine(timeout));
    }

    /** Reads lines until one is a reply ("return" or "error"), skipping events. */
    JsonNode readReply(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode msg = readJson(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (msg.has("return") || msg.has("error")) {
                return msg;
            }
        }
    }

    /** Sends a command and returns its reply. */
    JsonNode execute(String json, Duration timeout) throws IOException {
        send(json);
        return readReply(timeout);
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    private static void select(Selector sel, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        sel.selectedKeys().clear();
    }
}
