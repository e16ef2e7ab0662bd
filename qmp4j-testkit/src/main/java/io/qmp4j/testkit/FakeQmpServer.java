package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted QMP server on a temporary UNIX socket that behaves like QEMU 7.2 unless told
 * otherwise: script it, run the code under test against {@link #socketPath()}, then verify what
 * it received.
 *
 * <pre>{@code
 * try (FakeQmpServer server = new FakeQmpServer()) {
 *   server.enqueue(ScriptedReply.ofError("GenericError", "disk full"));
 *   server.start();
 *   // ... connect the client to server.socketPath() and call something ...
 *   assertThat(server.takeCommand(Duration.ofSeconds(1)).name()).isEqualTo("query-status");
 * }
 * }</pre>
 *
 * <p>Like a QEMU monitor it serves one connection at a time: a later client may connect at once,
 * but gets its greeting only when the earlier connection has closed. Unscripted commands get
 * QEMU's answers (see {@link QueueDispatcher}); {@code quit} closes the connection but, unlike
 * QEMU, the server keeps listening. All of the server runs on one daemon thread named {@code
 * qmp4j-fake-server-N}, plus the caller's thread for {@link #emitEvent}. Thread-safe.
 *
 * <p>Known differences from QEMU 7.2, all deliberate: after {@code quit} the server keeps
 * listening and the next client meets a running VM; after input that is not JSON it sends QEMU's
 * id-less {@code "JSON parse error, ..."} error and closes the connection instead of
 * resynchronising; {@link #emitEvent} does not wait for capabilities negotiation; {@code
 * query-commands} lists only the built-in commands; no built-in command supports out-of-band
 * execution; {@code human-monitor-command} knows {@code info status}, {@code info version},
 * {@code stop}, {@code cont}/{@code c} and {@code quit}/{@code q}, and answers anything else with
 * HMP's {@code unknown command} text; JSON objects keep their key order where QEMU may reorder.
 */
public final class FakeQmpServer implements AutoCloseable {
    /** How long {@link #close()} waits for the server thread to end. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger SERVER_NUMBERS = new AtomicInteger();

    private final ServerConfig config;
    private final QmpDispatcher dispatcher;
    private final BuiltinCommands builtins;
    private final CommandLog log = new CommandLog();
    private final AtomicInteger connections = new AtomicInteger();
    private final Object lifecycle = new Object();
    private Path directory;
    private Path socketPath;
    private ServerSocketChannel listener;
    private Thread thread;
    private volatile Session current;
    private volatile boolean closed;

    /** Creates a server with every default; see {@link Builder}. */
    public FakeQmpServer() {
        this(builder());
    }

    private FakeQmpServer(Builder b) {
        this.config =
                new ServerConfig(b.major, b.minor, b.micro, b.packageName, b.capabilities,
                        b.greetingFault, b.slowDripInterval, b.oversizeLineBytes);
        this.dispatcher = b.dispatcher;
        this.builtins = new BuiltinCommands(config);
    }

    /**
     * Returns a builder for a server that imitates QEMU 7.2.22 offering "oob", with no fault.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a fresh temporary directory, binds the socket in it and starts accepting.
     *
     * @throws IOException if the directory or the socket cannot be created; nothing is left behind
     * @throws IllegalStateException if the server was already started or closed
     */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (thread != null || closed) {
                throw new IllegalStateException(
                        "start() must be called once, before close(), but the server is "
                                + (closed ? "closed" : "already started"));
            }
            directory = Files.createTempDirectory("qmp4j-fake-");
            socketPath = directory.resolve("qmp.sock");
            try {
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                listener.bind(UnixDomainSocketAddress.of(socketPath));
            } catch (IOException | RuntimeException e) {
                cleanUp();
                throw e;
            }
            thread = new Thread(this::acceptLoop, "qmp4j-fake-server-" + SERVER_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Returns the path of the listening UNIX socket.
     *
     * @return an absolute path inside this server's temporary directory
     * @throws IllegalStateException if {@link #start()} has not been called
     */
    public Path socketPath() {
        synchronized (lifecycle) {
            if (socketPath == null) {
                throw new IllegalStateException("the server has no socket yet: call start() first");
            }
            return socketPath;
        }
    }

    /**
     * Queues a reply for a coming command; see {@link QueueDispatcher} for which command takes it.
     *
     * @param reply the reply
     * @throws IllegalStateException if the server was built with a dispatcher of its own
     */
    public void enqueue(ScriptedReply reply) {
        if (!(dispatcher instanceof QueueDispatcher)) {
            throw new IllegalStateException(
                    "enqueue() needs the default QueueDispatcher, but this server uses " + dispatcher);
        }
        ((QueueDispatcher) dispatcher).enqueue(reply);
    }

    /**
     * Waits for the oldest request not yet taken; requests are recorded before they are answered.
     *
     * @param timeout how long to wait at most
     * @return the request, or null if none arrived within {@code timeout}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public RecordedCommand takeCommand(Duration timeout) throws InterruptedException {
        return log.take(timeout);
    }

    /**
     * Returns how many requests the server has received, on every connection, taken or not.
     *
     * @return the number of requests recorded so far
     */
    public long commandCount() {
        return log.count();
    }

    /**
     * Returns how many connections the server has accepted.
     *
     * @return the number of connections so far, including the one being served
     */
    public int connectionCount() {
        return connections.get();
    }

    /**
     * Writes an event on the live connection, between two messages, stamped with the current time.
     *
     * <p>Unlike QEMU it does not wait for capabilities negotiation: once the greeting is out the
     * test decides. It never precedes the greeting, and if a message is being written slowly (a
     * fault), it waits until that message is done.
     *
     * @param name the event name, for example {@code "DEVICE_DELETED"}
     * @param data the "data" member, or null to leave it out
     * @return true if written; false if no connection has been accepted or it is gone
     */
    public boolean emitEvent(String name, JsonNode data) {
        Objects.requireNonNull(name, "name");
        Session session = current;
        return session != null && session.emitEvent(name, data);
    }

    /**
     * Writes {@code count} events named {@code name} as fast as possible, to imitate an event storm.
     *
     * <p>Each event's data is {@code {"index": i}}, counting from 0, so a test can see which ones
     * arrived and in what order.
     *
     * @param name the event name
     * @param count how many events to write
     * @return how many were written; fewer than {@code count} if the connection went away
     */
    public int emitEvents(String name, int count) {
        for (int i = 0; i < count; i++) {
            if (!emitEvent(name, QmpWire.MAPPER.createObjectNode().put("index", i))) {
                return i;
            }
        }
        return count;
    }

    /**
     * Stops the server: closes the client connection and the socket, joins the server thread and
     * deletes the temporary directory. Calling it again does nothing.
     *
     * @throws IllegalStateException if the server thread did not end within 5 s (a bug)
     */
    @Override
    public void close() {
        Thread toJoin;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            toJoin = thread;
            closeQuietly(listener);
            Session session = current;
            if (session != null) {
                session.close();
            }
        }
        if (toJoin != null && toJoin != Thread.currentThread()) { // e.g. close() from a dispatcher
            toJoin.interrupt();
            join(toJoin);
        }
        synchronized (lifecycle) {
            cleanUp();
        }
    }

    @Override
    public String toString() {
        return "FakeQmpServer{" + (socketPath == null ? "not started" : socketPath) + '}';
    }

    /** Accepts connections one after another and serves each. Runs on the server thread. */
    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                return; // close() closed the listener
            }
            Session session =
                    new Session(channel, connections.getAndIncrement(), config, dispatcher, builtins, log);
            current = session;
            try {
                if (!closed) { // close() may have run before current was set
                    session.run();
                }
            } finally {
                session.close();
                current = null;
            }
        }
    }

    private static void join(Thread toJoin) {
        try {
            toJoin.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (toJoin.isAlive()) {
            throw new IllegalStateException(toJoin.getName() + " did not stop within " + STOP_TIMEOUT);
        }
    }

    private void cleanUp() {
        closeQuietly(listener);
        try {
            if (socketPath != null) {
                Files.deleteIfExists(socketPath);
            }
            if (directory != null) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            // a leftover empty temporary directory must not fail the test that closes the server
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    /** Builds a {@link FakeQmpServer}; each method states its default. Not thread-safe. */
    public static final class Builder {
        private int major = 7;
        private int minor = 2;
        private int micro = 22;
        private String packageName = "qmp4j-fake";
        private List<String> capabilities = List.of("oob");
        private Fault greetingFault;
        private QmpDispatcher dispatcher = new QueueDispatcher();
        private Duration slowDripInterval = Duration.ofMillis(10);
        private long oversizeLineBytes = 65L * 1024 * 1024;

        private Builder() {}

        /**
         * Sets the QEMU version announced in the greeting and by {@code query-version}; default 7.2.22.
         *
         * @param major the major version
         * @param minor the minor version
         * @param micro the micro version
         * @return this builder
         */
        public Builder version(int major, int minor, int micro) {
            this.major = major;
            this.minor = minor;
            this.micro = micro;
            return this;
        }

        /**
         * Sets the "package" string of the version; default {@code "qmp4j-fake"}.
         *
         * @param packageName the package string, for example {@code "Debian 1:7.2+dfsg-7"}
         * @return this builder
         */
        public Builder packageName(String packageName) {
            this.packageName = Objects.requireNonNull(packageName, "packageName");
            return this;
        }

        /**
         * Sets the capabilities offered in the greeting; default {@code ["oob"]}, as QEMU 7.2 offers.
         *
         * @param capabilities the capability names, possibly none
         * @return this builder
         */
        public Builder capabilities(String... capabilities) {
            this.capabilities = List.of(capabilities);
            return this;
        }

        /**
         * Sets the fault applied to every greeting; default none (null).
         *
         * @param fault a fault that {@link Fault#appliesToGreeting() applies to the greeting}, or null
         * @return this builder
         * @throws IllegalArgumentException if {@code fault} only applies to replies
         */
        public Builder greetingFault(Fault fault) {
            if (fault != null && !fault.appliesToGreeting()) {
                throw new IllegalArgumentException(fault + " applies to replies only, not to the greeting");
            }
            this.greetingFault = fault;
            return this;
        }

        /**
         * Sets who decides the replies; default a new {@link QueueDispatcher}.
         *
         * @param dispatcher the dispatcher; {@link FakeQmpServer#enqueue} works only with a QueueDispatcher
         * @return this builder
         */
        public Builder dispatcher(QmpDispatcher dispatcher) {
            this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
            return this;
        }

        /**
         * Sets the pause after each byte for {@link Fault#SLOW_DRIP}; default 10 ms.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder slowDripInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("slowDripInterval must be positive, but was " + interval);
            }
            this.slowDripInterval = interval;
            return this;
        }

        /**
         * Sets the length in bytes, {@code \r\n} included, of an {@link Fault#OVERSIZE_LINE} line;
         * default 65 MiB (68,157,440), just over a 64 MiB client limit. The line is streamed, never
         * held in memory; a size below the message's own length yields the plain message.
         *
         * @param bytes the line length in bytes
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder oversizeLineBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("oversizeLineBytes must be positive, but was " + bytes);
            }
            this.oversizeLineBytes = bytes;
            return this;
        }

        /**
         * Builds the server; call {@link FakeQmpServer#start()} on it.
         *
         * @return a new, not yet started server
         */
        public FakeQmpServer build() {
            return new FakeQmpServer(this);
        }
    }
}
