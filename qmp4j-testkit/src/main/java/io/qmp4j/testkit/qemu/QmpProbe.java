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
import java.util.concurrent.TimeUnit;

/**
 * Internal: checks that a QMP monitor is ready by connecting, reading the greeting, running
 * {@code qmp_capabilities} and disconnecting, all bounded by one deadline. Uses only the JDK's
 * UNIX-domain {@link SocketChannel} (JDK 16+). Caller thread.
 *
 * <p>Why a command and not just the greeting: QEMU 7.2 serves QMP sockets from a monitor I/O
 * thread that sends the greeting as soon as the socket exists, while QEMU's main thread may still
 * be processing (and rejecting) options such as {@code -device}. Commands run on the main loop, so
 * a reply proves QEMU finished starting.
 */
final class QmpProbe implements AutoCloseable {

    /** A greeting or a capabilities reply is a few hundred bytes; anything this long is not one. */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CAPABILITIES =
            "{\"execute\":\"qmp_capabilities\"}".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final Selector selector;
    private final long deadlineNanos;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);

    private QmpProbe(SocketChannel channel, Selector selector, long deadlineNanos) {
        this.channel = channel;
        this.selector = selector;
        this.deadlineNanos = deadlineNanos;
        buffer.flip(); // start empty, in read mode
    }

    /**
     * Connects to {@code socket}, reads the greeting, negotiates capabilities and disconnects.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value after which to give up
     * @return the greeting line, without its terminator
     * @throws NotQmpException if the server is not a QMP monitor (wrong first line, or
     *     {@code qmp_capabilities} fails): waiting longer will not help
     * @throws SocketTimeoutException if connecting or a reply takes past the deadline
     * @throws EOFException if the server closes the connection first (QEMU may be exiting)
     * @throws IOException if the connection is refused or fails
     */
    static String handshake(Path socket, long deadlineNanos) throws IOException {
        try (QmpProbe probe = open(socket, deadlineNanos)) {
            String greeting = probe.readLine();
            // QEMU 7.2 can queue an event (the start-up RESUME) ahead of the greeting: skip events
            while (isEvent(greeting)) {
                greeting = probe.readLine();
            }
            if (!isGreeting(greeting)) {
                throw new NotQmpException(socket + " answered with something other than a QMP"
                        + " greeting: " + shorten(greeting));
            }
            probe.write(CAPABILITIES);
            while (true) {
                String line = probe.readLine();
                JsonNode reply = parse(line);
                if (reply != null && reply.has("return")) {
                    return greeting;
                }
                if (reply == null || !reply.has("event")) {
                    throw new NotQmpException(socket + " answered qmp_capabilities with "
                            + shorten(line));
                }
                // an event: QEMU may emit one at any time; keep reading
            }
        }
    }

    /** Says whether {@code line} is a QMP event: a JSON object with the key {@code "event"}. */
    static boolean isEvent(String line) {
        JsonNode node = parse(line);
        return node != null && node.isObject() && node.has("event");
    }

    /** Says whether {@code line} is a QMP greeting: a JSON object with the key {@code "QMP"}. */
    static boolean isGreeting(String line) {
        JsonNode node = parse(line);
        return node != null && node.isObject() && node.has("QMP");
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    private static QmpProbe open(Path socket, long deadlineNanos) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        QmpProbe probe = new QmpProbe(ch, selector, deadlineNanos);
        try {
            ch.configureBlocking(false);
            // Non-blocking connect: a full backlog (e.g. a stopped QEMU) must not block us forever.
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    probe.await("connecting to " + socket);
                }
                key.cancel();
                selector.selectNow();
            }
            ch.register(selector, SelectionKey.OP_READ);
            return probe;
        } catch (IOException | RuntimeException e) {
            probe.close();
            throw e;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8).stripTrailing();
                }
                line.write(b);
            }
            if (line.size() > MAX_LINE_BYTES) {
                throw new NotQmpException("received over " + MAX_LINE_BYTES
                        + " bytes without a line end; not a QMP monitor");
            }
            buffer.clear();
            int n = channel.read(buffer);
            buffer.flip();
            if (n < 0) {
                throw new EOFException("connection closed after " + line.size()
                        + " bytes of a line");
            }
            if (n == 0) {
                await("waiting for a line");
            }
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            // A fresh socket's send buffer takes these few bytes at once; the check only bounds it.
            if (channel.write(out) == 0 && System.nanoTime() - deadlineNanos >= 0) {
                throw new SocketTimeoutException("timed out writing qmp_capabilities");
            }
        }
    }

    private void await(String what) throws IOException {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new SocketTimeoutException("timed out " + what);
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        selector.selectedKeys().clear();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Internal: the peer is not a working QMP monitor; retrying will not help. */
    static final class NotQmpException extends IOException {
        private static final long serialVersionUID = 1L;

        NotQmpException(String message) {
            super(message);
        }
    }
}
