package io.qmp4j.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal QMP server for the many-idle-connections workload: one thread, one selector, any
 * number of simultaneous clients (the test kit's FakeQmpServer, like QEMU, serves one client at a
 * time). It greets, answers {@code qmp_capabilities} and {@code query-status} as QEMU 7.2 does,
 * and {@code CommandNotFound} to anything else. Run in its own process so that the client JVM's
 * file descriptors and threads are the client's alone:
 * {@code java -cp qmp4j-bench.jar io.qmp4j.bench.IdleServer SOCKET MAX_SECONDS}.
 */
public final class IdleServer {
    private static final byte[] GREETING = ("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2,"
            + " \"major\": 7}, \"package\": \"qmp4j-bench\"}, \"capabilities\": [\"oob\"]}}\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final Pattern EXECUTE = Pattern.compile("\"execute\"\\s*:\\s*\"([^\"]*)\"");

    private IdleServer() {
    }

    /** Serves {@code args[0]} until killed or for at most {@code args[1]} seconds. */
    public static void main(String[] args) throws IOException {
        Path socket = Path.of(args[0]);
        long until = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        Files.deleteIfExists(socket);
        try (Selector selector = Selector.open();
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            System.out.println("ready");
            System.out.flush();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (System.nanoTime() < until) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        accept(server, selector);
                    } else if (key.isReadable()) {
                        read(key, in);
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ, new Request());
            write(client, GREETING);
        }
    }

    private static void read(SelectionKey key, ByteBuffer in) {
        SocketChannel client = (SocketChannel) key.channel();
        Request request = (Request) key.attachment();
        try {
            in.clear();
            if (client.read(in) < 0) {
                close(key);
                return;
            }
            in.flip();
            while (in.hasRemaining()) {
                String complete = request.add(in.get());
                if (complete != null) {
                    write(client, answer(complete));
                }
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private static byte[] answer(String request) {
        Matcher m = EXECUTE.matcher(request);
        String command = m.find() ? m.group(1) : "";
        String reply = switch (command) {
            case "qmp_capabilities" -> "{\"return\": {}}";
            case "query-status" -> "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}";
            default -> "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command " + command
                    + " has not been found\"}}";
        };
        return (reply + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Replies are tiny, so a write that does not complete means a client that stopped reading: drop it. */
    private static void write(SocketChannel client, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        client.write(out);
        if (out.hasRemaining()) {
            client.close();
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Splits a client's bytes into top-level JSON objects, as QEMU's streamer does. */
    private static final class Request {
        private final StringBuilder text = new StringBuilder();
        private int depth;
        private boolean inString;
        private boolean escaped;

        /** Adds one byte; returns the request text when it completed an object. */
        String add(byte b) {
            char c = (char) (b & 0xff);
            if (depth > 0 || c == '{') {
                text.append(c);
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && depth > 0 && --depth == 0) {
                String done = text.toString();
                text.setLength(0);
                return done;
            }
            return null;
        }
    }
}
