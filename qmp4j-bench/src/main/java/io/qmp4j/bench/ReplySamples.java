package io.qmp4j.bench;

import io.qmp4j.testkit.qemu.QemuProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real QEMU reply lines for the JMH benchmarks: {@code query-status} (73 bytes),
 * {@code query-commands} (6.5 KB) and {@code query-qmp-schema} (207 KB), captured once from a
 * QEMU started with the test kit and cached in a directory (system property
 * {@value #PROPERTY}, default {@code target/reply-samples}). Lines are kept without their
 * {@code \r\n}.
 */
public final class ReplySamples {
    /** The system property naming the cache directory. */
    public static final String PROPERTY = "qmp4j.bench.samples";
    /** The captured commands, smallest reply first. */
    public static final List<String> COMMANDS = List.of("query-status", "query-commands", "query-qmp-schema");

    private ReplySamples() {
    }

    /** The cache directory. */
    public static Path directory() {
        return Path.of(System.getProperty(PROPERTY, "target/reply-samples")).toAbsolutePath();
    }

    /** The reply line of {@code command}, capturing all samples first if they are not cached. */
    public static byte[] line(String command) {
        Path file = directory().resolve(command + ".json");
        try {
            if (!Files.isRegularFile(file)) {
                capture(directory());
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reply sample " + file, e);
        }
    }

    /** Starts a QEMU, asks it every command of {@link #COMMANDS} and writes the replies to {@code dir}. */
    public static synchronized Map<String, Integer> capture(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        try (QemuProcess qemu = QemuProcess.start();
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(qemu.qmpSocket()));
            LineReader reader = new LineReader(ch);
            reader.next(); // greeting
            send(ch, "{\"execute\":\"qmp_capabilities\"}");
            reader.next();
            for (String command : COMMANDS) {
                send(ch, "{\"execute\":\"" + command + "\"}");
                byte[] line = reader.next();
                Files.write(dir.resolve(command + ".json"), line);
                sizes.put(command, line.length);
            }
        }
        return sizes;
    }

    private static void send(SocketChannel ch, String request) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    /** Reads {@code \n}-terminated lines (terminator and {@code \r} stripped) from a blocking channel. */
    private static final class LineReader {
        private final SocketChannel ch;
        private final ByteBuffer buffer = ByteBuffer.allocate(65536);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(SocketChannel ch) {
            this.ch = ch;
            buffer.flip();
        }

        byte[] next() throws IOException {
            line.reset();
            while (true) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        byte[] bytes = line.toByteArray();
                        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                        return java.util.Arrays.copyOf(bytes, n);
                    }
                    line.write(b);
                }
                buffer.clear();
                if (ch.read(buffer) < 0) {
                    throw new IOException("QEMU closed the connection");
                }
                buffer.flip();
            }
        }
    }
}
