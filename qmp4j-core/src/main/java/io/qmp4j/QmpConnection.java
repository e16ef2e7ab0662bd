package io.qmp4j;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.internal.client.CallerHandshake;
import io.qmp4j.internal.client.PendingCall;
import io.qmp4j.internal.client.Session;
import io.qmp4j.internal.event.EventHub;
import io.qmp4j.internal.event.SerialExecutor;
import io.qmp4j.internal.fd.NativeFds;
import io.qmp4j.internal.schema.SchemaCache;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.IoThreads;
import io.qmp4j.internal.transport.Transports;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpRedaction;
import io.qmp4j.message.QmpReturn;
import io.qmp4j.schema.QmpSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A connection to one QEMU monitor speaking QMP: Ganeti's {@code QmpConnection} for Java.
 *
 * <pre>{@code
 * try (QmpConnection qmp = QmpConnection.builder(Path.of("/run/vm1.qmp"))
 *         .commandTimeout(Duration.ofSeconds(5)).build()) {
 *     qmp.connect();
 *     JsonNode status = qmp.execute("query-status");
 *     JsonNode text = qmp.execute("human-monitor-command", Map.of("command-line", "info status"));
 *     CompletableFuture<JsonNode> later = qmp.executeAsync("query-status");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A connection is thread-safe: any number of threads may have commands in
 * flight. Replies are matched to callers by request order, which QEMU keeps for in-band
 * commands. I/O runs on a few event-loop threads shared by all connections in the JVM; futures
 * returned by {@code executeAsync} complete on those threads, so dependent stages that block
 * should use the {@code *Async} variants of {@link CompletableFuture}. Event listeners run on the
 * builder's {@link QmpConnectionBuilder#eventExecutor(Executor) event executor}.
 *
 * <p><b>Transports.</b> A UNIX socket ({@link #builder(Path)}), TCP with or without TLS, or a
 * child's stdio: see {@link QmpAddress} and {@link QmpConnectionBuilder#tls}. For QEMU that
 * connects to us ({@code -qmp unix:PATH} without {@code server=on}) see {@link QmpListener}.
 * File descriptors travel with commands on UNIX sockets: {@link #getfd}, {@link #addFd},
 * {@link #executeWithFds}.
 *
 * <p><b>Life cycle.</b> See {@link ConnectionState}. {@link #close()} is idempotent, fails every
 * pending call with {@link QmpConnectionClosedException} and leaves no thread or file
 * descriptor behind; QEMU closing the socket (for example after {@code quit}) does the same,
 * unless {@link QmpConnectionBuilder#reconnect(Duration) reconnecting} is on. Listeners added
 * with {@link #addStateListener} hear of every change.
 */
public final class QmpConnection implements AutoCloseable {
    /** Requests (DEBUG, secrets masked) and replies/events (TRACE); the logger is {@code io.qmp4j.wire}. */
    private static final System.Logger WIRE = System.getLogger("io.qmp4j.wire");
    private static final Duration FIRST_RETRY = Duration.ofMillis(20);
    private static final Duration LAST_RETRY = Duration.ofMillis(500);

    private final QmpAddress address;
    private final QmpTlsOptions tls;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final Duration waitForSocket;
    private final Duration reconnectFor;
    private final int maxMessageBytes;
    private final boolean enableOob;
    private final int eventBufferSize;
    private final Executor eventExecutor;
    private final int maxPendingCommands;
    private final Backpressure backpressure;
    private final java.util.concurrent.Semaphore pendingSlots;
    /** Set for connections a {@link QmpListener} accepted: their channel exists before connect(). */
    private final Transports.Accepted accepted;
    private final boolean validateCommands;
    private final SchemaCache schema = new SchemaCache();

    private final Object lock = new Object();
    private final EventHub events = new EventHub();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ThreadLocal<long[]> eventMark = ThreadLocal.withInitial(() -> new long[] {-1});
    private final List<Consumer<ConnectionEvent>> stateListeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor stateEvents;
    private volatile ConnectionState state = ConnectionState.IDLE;
    private volatile QmpGreeting greeting;
    private volatile Set<String> capabilities = Set.of();
    private Session session;
    private Transports.Link link;
    private EventLoops.Lease lease;

    QmpConnection(QmpConnectionBuilder b) {
        this(b, null);
    }

    QmpConnection(QmpConnectionBuilder b, Transports.Accepted accepted) {
        this.address = b.address;
        this.tls = b.tls;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.waitForSocket = b.waitForSocket;
        this.reconnectFor = accepted == null ? b.reconnectFor : null;
        this.maxMessageBytes = b.maxMessageBytes;
        this.enableOob = b.enableOob;
        this.eventBufferSize = b.eventBufferSize;
        this.eventExecutor = b.eventExecutor;
        this.maxPendingCommands = b.maxPendingCommands;
        this.backpressure = b.backpressure;
        this.pendingSlots = new java.util.concurrent.Semaphore(maxPendingCommands);
        this.accepted = accepted;
        this.validateCommands = b.validateCommands;
        this.stateEvents = new SerialExecutor(eventExecutor);
    }

    /** A builder for a connection to the monitor socket at {@code socketPath}. */
    public static QmpConnectionBuilder builder(Path socketPath) {
        return new QmpConnectionBuilder(QmpAddress.unix(socketPath));
    }

    /** A builder for a connection to the monitor at {@code address} (UNIX, TCP or a child's stdio). */
    public static QmpConnectionBuilder builder(QmpAddress address) {
        return new QmpConnectionBuilder(address);
    }

    /** A builder preset with this connection's configuration, to derive a variant. */
    public QmpConnectionBuilder newBuilder() {
        return new QmpConnectionBuilder(this);
    }

    /**
     * Opens the socket, reads and checks the greeting, and negotiates capabilities
     * ({@code qmp_capabilities}, enabling {@code oob} when offered and wanted), all within the
     * connect timeout. With {@link QmpConnectionBuilder#waitForSocket(Duration)} a socket that
     * does not exist yet, or that nobody listens on yet, is tried again (with backoff) until that
     * much time has passed. On failure nothing is left open and the state returns to {@code IDLE}.
     *
     * @throws QmpConnectException  when the socket cannot be opened (or did not appear in time), or TLS failed
     * @throws QmpTimeoutException  when the greeting or the negotiation reply does not arrive in time
     * @throws QmpProtocolException when the greeting is not a QMP greeting
     * @throws QmpCommandException  when QEMU refuses the negotiation
     * @throws QmpStateException    when the connection is not {@code IDLE}
     */
    public void connect() {
        synchronized (lock) {
            requireState("connect()", ConnectionState.IDLE);
            state = ConnectionState.CONNECTING;
        }
        try {
            openWithRetry(ConnectionState.CONNECTING, waitForSocket);
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (state == ConnectionState.CONNECTING) {
                    state = ConnectionState.IDLE;
                }
            }
            throw e;
        }
        Session s;
        synchronized (lock) {
            if (state != ConnectionState.CONNECTING) { // close() ran meanwhile
                throw new QmpConnectionClosedException("connection closed while connecting to " + address);
            }
            state = ConnectionState.RUNNING;
            s = session;
        }
        s.terminated().thenAccept(reason -> onSessionEnd(s, reason));
        notifyState(ConnectionEvent.Kind.CONNECTED, null);
    }

    /**
     * Caller thread: handshakes, trying again while the monitor is not there yet and
     * {@code retryFor} has not passed. Leaves nothing open when it throws.
     */
    private void openWithRetry(ConnectionState expected, Duration retryFor) {
        long retryDeadline = System.nanoTime() + retryFor.toNanos();
        Duration pause = FIRST_RETRY;
        while (true) {
            try {
                handshake(expected, System.nanoTime() + connectTimeout.toNanos());
                return;
            } catch (RuntimeException e) {
                abandonAttempt();
                // connect() waits only for a monitor that is not there yet; a reconnect also
                // rides out a QEMU that is still starting or briefly refuses the handshake.
                boolean retry = accepted == null && (expected == ConnectionState.RECONNECTING
                        ? e instanceof QmpException && !(e instanceof QmpStateException)
                        : e instanceof QmpConnectException && Transports.isNotThereYet(e));
                long left = retryDeadline - System.nanoTime();
                if (!retry || left <= 0 || state != expected) {
                    if (retry && !retryFor.isZero() && expected == ConnectionState.CONNECTING) {
                        throw new QmpConnectException("QMP monitor " + address + " did not appear within "
                                + retryFor.toMillis() + " ms: " + e.getMessage(), e);
                    }
                    throw e;
                }
                sleep(Math.min(pause.toNanos(), left));
                pause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
            }
        }
    }

    private void handshake(ConnectionState expected, long deadline) {
        Session s = new Session(events);
        // qmp_capabilities goes out from the event loop the moment the greeting arrives: the
        // caller waits once, for the whole handshake, instead of relaying the greeting.
        s.negotiateOnGreeting(g -> {
            boolean oob = enableOob && g.offers("oob");
            Map<String, Object> args = oob ? Map.of("enable", List.of("oob")) : null;
            return new Session.Negotiation(new PendingCall("qmp_capabilities",
                    QmpJson.request("qmp_capabilities", args, null, false), remaining(deadline)),
                    oob ? Session.WINDOW_WITH_OOB : Session.WINDOW_WITHOUT_OOB);
        });
        synchronized (lock) {
            ensureState(expected);
            lease = EventLoops.acquire();
            session = s;
        }
        Transports.Link opened = null;
        if (accepted != null) {
            opened = accepted.adopt(maxMessageBytes, s);
        } else if (CallerHandshake.applies(address, tls, lease)) {
            opened = CallerHandshake.connect(lease, (QmpAddress.Unix) address, deadline,
                    new CallerHandshake.Timeouts(() -> handshakeTimeout(false), () -> handshakeTimeout(true)),
                    maxMessageBytes, s);
        }
        if (opened == null) {
            opened = Transports.connect(lease, address, tls, remaining(deadline), maxMessageBytes, s);
        }
        synchronized (lock) {
            link = opened;
            ensureState(expected);
        }
        QmpGreeting g;
        try {
            g = Futures.await(s.negotiated(), remaining(deadline).plusMillis(100), () -> handshakeTimeout(greeted(s)));
        } catch (QmpConnectionClosedException e) {
            if (tls == null || greeted(s)) {
                throw e;
            }
            throw new QmpConnectException("QEMU closed the TLS connection to " + address + " before its greeting: it"
                    + " rejected this client (with verify-peer=on QEMU requires a client certificate signed by its CA)",
                    e);
        }
        boolean oob = enableOob && g.offers("oob");
        if (expected == ConnectionState.RECONNECTING) {
            schema.clear(); // the QEMU behind the address may be another version now
        }
        if (validateCommands) { // now, so that no later call waits for it (perhaps on an I/O thread)
            PendingCall fetch = new PendingCall("query-qmp-schema",
                    QmpJson.request("query-qmp-schema", null, null, false), remaining(deadline));
            s.submit(fetch);
            schema.get(() -> Futures.await(fetch.future(), remaining(deadline).plusMillis(100), null).value());
        }
        greeting = g;
        capabilities = oob ? Set.of("oob") : Set.of();
    }

    /** The failure for a handshake that ran out of time, before the greeting or after it. */
    private QmpTimeoutException handshakeTimeout(boolean greeted) {
        return greeted
                ? new QmpTimeoutException("qmp_capabilities: no reply from " + address + " within "
                        + connectTimeout.toMillis() + " ms", connectTimeout)
                : new QmpTimeoutException("no QMP greeting from " + address + " within "
                        + connectTimeout.toMillis() + " ms (is it a QMP monitor"
                        + (address instanceof QmpAddress.Tcp && tls == null ? ", does it expect TLS" : "")
                        + ", and is another client holding it?)", connectTimeout);
    }

    /** Whether {@code s} received QEMU's greeting (as opposed to failing before it). */
    private static boolean greeted(Session s) {
        return s.greeting().isDone() && !s.greeting().isCompletedExceptionally();
    }

    private void ensureState(ConnectionState expected) {
        if (state != expected) {
            throw new QmpConnectionClosedException("connection closed while connecting to " + address);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for the QMP monitor", e);
        }
    }

    /** Caller thread: releases what a failed attempt left open. */
    private void abandonAttempt() {
        Held held;
        synchronized (lock) {
            held = detach(true);
        }
        held.release(new QmpConnectionClosedException("connect attempt failed"));
    }

    /** The resources a connection holds while open; released outside the lock. */
    private record Held(Session session, Transports.Link link, EventLoops.Lease lease) {
        /** Caller thread, never an event loop: ends the session, closes the socket, returns the lease. */
        void release(QmpException reason) {
            if (session != null) {
                session.shutdown(reason);
            }
            if (link != null) {
                link.close();
            }
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Takes the link, the lease and, if asked, the session out of the fields; the caller holds the lock. */
    private Held detach(boolean withSession) {
        Held held = new Held(withSession ? session : null, link, lease);
        if (withSession) {
            session = null;
        }
        link = null;
        lease = null;
        return held;
    }

    /** Event loop: the session {@code ended} ended with {@code reason}; close, or reconnect if configured. */
    private void onSessionEnd(Session ended, QmpException reason) {
        boolean reconnect;
        synchronized (lock) {
            if (session != ended || state != ConnectionState.RUNNING) {
                return; // close() is handling it
            }
            reconnect = reconnectFor != null;
            state = reconnect ? ConnectionState.RECONNECTING : ConnectionState.CLOSED;
        }
        // Releasing waits for the channel and, for the last connection, for the I/O threads to end:
        // never on the loop itself, and not on the user's executor, which may run tasks inline.
        Thread worker = new Thread(reconnect ? () -> reconnect(reason) : () -> {
            releaseResources();
            finish(reason);
        }, reconnect ? "qmp4j-reconnect" : "qmp4j-release");
        worker.setDaemon(true);
        worker.start();
    }

    /** Reconnect thread: tries the address again until it answers, close() is called, or time is up. */
    private void reconnect(QmpException lost) {
        releaseResources();
        notifyState(ConnectionEvent.Kind.LOST, lost);
        try {
            openWithRetry(ConnectionState.RECONNECTING, reconnectFor);
        } catch (RuntimeException e) {
            boolean gaveUp;
            synchronized (lock) {
                gaveUp = state == ConnectionState.RECONNECTING;
                if (gaveUp) {
                    state = ConnectionState.CLOSED;
                }
            }
            if (gaveUp) {
                finish(new QmpConnectionClosedException("connection to " + address + " lost and not re-established"
                        + " within " + reconnectFor.toMillis() + " ms: " + e.getMessage(), lost));
            }
            return;
        }
        Session s;
        synchronized (lock) {
            if (state != ConnectionState.RECONNECTING) { // close() ran meanwhile; it releases
                return;
            }
            state = ConnectionState.RUNNING;
            s = session;
        }
        s.terminated().thenAccept(reason -> onSessionEnd(s, reason));
        notifyState(ConnectionEvent.Kind.RECONNECTED, null);
    }

    /** Ends for good after QEMU closed: events end, listeners hear it, the close future completes. */
    private void finish(QmpException reason) {
        events.close(reason);
        notifyState(ConnectionEvent.Kind.CLOSED, reason);
        closed.complete(null);
    }

    private void releaseResources() {
        Held held;
        synchronized (lock) {
            held = detach(false);
        }
        held.release(null);
    }

    /**
     * Closes the connection: pending calls fail with {@link QmpConnectionClosedException},
     * subscriptions end, the socket is closed and, if this was the JVM's last connection, the
     * I/O threads stop. Stops reconnecting. Idempotent; safe from any thread except an event loop.
     */
    @Override
    public void close() {
        Held held;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                return;
            }
            state = ConnectionState.CLOSING;
            held = detach(true);
        }
        QmpConnectionClosedException reason = new QmpConnectionClosedException("connection closed by close()");
        held.release(reason);
        events.close(reason);
        synchronized (lock) {
            state = ConnectionState.CLOSED;
        }
        notifyState(ConnectionEvent.Kind.CLOSED, null);
        closed.complete(null);
    }

    /**
     * Adds a listener for {@link ConnectionEvent}s (connected, lost, reconnected, closed). It runs
     * on the event executor, one event at a time, in order. Remove it with
     * {@link #removeStateListener}.
     */
    public void addStateListener(Consumer<ConnectionEvent> listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added with {@link #addStateListener}; no effect if absent. */
    public void removeStateListener(Consumer<ConnectionEvent> listener) {
        stateListeners.remove(listener);
    }

    private void notifyState(ConnectionEvent.Kind kind, QmpException cause) {
        if (stateListeners.isEmpty()) {
            return;
        }
        ConnectionEvent event = new ConnectionEvent(kind, address, cause, Instant.now());
        for (Consumer<ConnectionEvent> l : stateListeners) {
            stateEvents.execute(() -> l.accept(event));
        }
    }

    /** The current state; see {@link ConnectionState}. */
    public ConnectionState state() {
        return state;
    }

    /**
     * Completes when the connection has closed, whoever closed it. When QEMU closed it, the stage
     * completes on an I/O thread: attach blocking work with the {@code *Async} methods.
     */
    public CompletionStage<Void> closeFuture() {
        return closed.minimalCompletionStage();
    }

    /**
     * QEMU's greeting: its version and offered capabilities.
     *
     * @throws QmpStateException before a successful {@code connect()}
     */
    public QmpGreeting greeting() {
        QmpGreeting g = greeting;
        if (g == null) {
            throw new QmpStateException("greeting()", state, "connected");
        }
        return g;
    }

    /** The capabilities negotiated with QEMU ({@code oob} or none). */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** Runs {@code command} without arguments and returns its {@code return} value. See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command) {
        return execute(command, (JsonNode) null, commandTimeout);
    }

    /** Runs {@code command} with {@code arguments} (string keys; values as Jackson writes them). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, Map<String, ?> arguments) {
        requireBlockingAllowed();
        return awaitCall(submitBlocking(command, arguments, commandTimeout), commandTimeout);
    }

    /** Runs {@code command} with {@code arguments} (a JSON object or null). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, JsonNode arguments) {
        return execute(command, arguments, commandTimeout);
    }

    /**
     * Runs {@code command} and waits for its reply: Ganeti's {@code Execute(command, arguments)}.
     *
     * @param command   the QMP command name, for example {@code query-status}
     * @param arguments a JSON object, or {@code null} for none
     * @param timeout   how long to wait for the reply
     * @return the reply's {@code return} value (for most commands an object, {@code {}} when empty)
     * @throws QmpCommandException           when QEMU answers with an error; the connection stays usable
     * @throws QmpTimeoutException           when no reply came in time; see {@link QmpTimeoutException#wasSent()}
     * @throws QmpConnectionClosedException  when the connection is or becomes closed; QEMU may have run the command
     * @throws QmpProtocolException          when QEMU's reply broke the protocol; the connection is then closed
     * @throws QmpStateException             before {@code connect()}
     * @throws IllegalArgumentException      when the command is blank or the arguments are not an object
     * @throws IllegalStateException         when called on a qmp4j I/O thread, where waiting would never end
     */
    public JsonNode execute(String command, JsonNode arguments, Duration timeout) {
        requireBlockingAllowed();
        return awaitCall(submitBlocking(command, arguments, timeout), timeout);
    }

    /**
     * Caller thread: waits for a call sent with {@code blocking}. A call this thread wrote itself
     * is timed out here, at its timeout; otherwise the loop completes it at its timeout and the
     * extra second only guards a dead loop.
     */
    private static JsonNode awaitCall(PendingCall call, Duration timeout) {
        if (call.callerTimed()) {
            return Futures.await(call.future(), timeout, call::timedOut).value();
        }
        return awaitValue(call.future(), timeout);
    }

    /** Caller thread: the loop completes the call at its timeout; the extra second only guards a dead loop. */
    private static JsonNode awaitValue(CompletableFuture<QmpReturn> call, Duration timeout) {
        return Futures.await(call, timeout.plusSeconds(1), null).value();
    }

    /** Caller thread: a blocking call on an I/O thread would wait for the thread that must deliver its reply. */
    private static void requireBlockingAllowed() {
        if (IoThreads.isIoThread()) {
            throw new IllegalStateException("a blocking call on a qmp4j I/O thread (e.g. execute() inside a callback"
                    + " of executeAsync's future) would wait for itself; nothing was sent. Use the *Async methods there,"
                    + " or thenApplyAsync/thenComposeAsync");
        }
    }

    /** Sends {@code command} without arguments; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command) {
        return executeAsync(command, (JsonNode) null, commandTimeout);
    }

    /** Sends {@code command} with {@code arguments}; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command, Map<String, ?> arguments) {
        return submit(command, arguments, commandTimeout).thenApply(QmpReturn::value);
    }

    /** Sends {@code command} with {@code arguments}; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command, JsonNode arguments) {
        return executeAsync(command, arguments, commandTimeout);
    }

    /**
     * Sends {@code command} without waiting. The future completes exactly once, on an I/O thread,
     * with the {@code return} value or with the exceptions listed on
     * {@link #execute(String, JsonNode, Duration)}. Cancelling it does not recall a command
     * already sent: its reply is still consumed and discarded.
     */
    public CompletableFuture<JsonNode> executeAsync(String command, JsonNode arguments, Duration timeout) {
        return submit(command, arguments, timeout).thenApply(QmpReturn::value);
    }

    private CompletableFuture<QmpReturn> submit(String command, Object arguments, Duration timeout) {
        return submit(command, arguments, timeout, null);
    }

    private CompletableFuture<QmpReturn> submit(String command, Object arguments, Duration timeout, int[] fds) {
        if (validateCommands) {
            SchemaCache.validate(schema(), command, arguments);
        }
        return send(command, arguments, timeout, fds, false).future();
    }

    /** Caller thread, which then waits for the call with {@link #awaitCall}. */
    private PendingCall submitBlocking(String command, Object arguments, Duration timeout) {
        if (validateCommands) {
            SchemaCache.validate(schema(), command, arguments);
        }
        return send(command, arguments, timeout, null, true);
    }

    /**
     * Sends a call. With {@code blocking} the calling thread will wait for it, so it may write
     * the request itself (see {@code Session.submit(PendingCall, boolean)}).
     */
    private PendingCall send(String command, Object arguments, Duration timeout, int[] fds, boolean blocking) {
        Objects.requireNonNull(timeout, "timeout");
        byte[] request = QmpJson.request(command, arguments, null, false);
        Session s;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                throw new QmpConnectionClosedException(command + ": connection to " + address + " is closed",
                        session == null ? null : session.terminated().getNow(null));
            }
            if (state == ConnectionState.RECONNECTING) {
                throw new QmpConnectionClosedException(command + ": connection to " + address
                        + " was lost; reconnecting (nothing was sent)");
            }
            requireState(command, ConnectionState.RUNNING);
            s = session;
        }
        acquireSlot(command, timeout);
        PendingCall call = new PendingCall(command, request, timeout, fds);
        call.releaseOnCompletion(pendingSlots);
        if (WIRE.isLoggable(System.Logger.Level.DEBUG)) {
            WIRE.log(System.Logger.Level.DEBUG, address + " <- " + QmpRedaction.redactedRequest(command, arguments)
                    + (fds == null ? "" : " + fds " + java.util.Arrays.toString(fds)));
        }
        eventMark.get()[0] = events.sequence();
        s.submit(call, blocking);
        return call;
    }

    /** Caller thread: takes one of the pending-command slots, waiting or failing per the policy. */
    private void acquireSlot(String command, Duration timeout) {
        if (pendingSlots.tryAcquire()) {
            return;
        }
        if (backpressure == Backpressure.FAIL || IoThreads.isIoThread()) {
            throw new QmpBackpressureException(command + ": " + maxPendingCommands + " commands are already pending on "
                    + address + "; nothing was sent");
        }
        try {
            if (!pendingSlots.tryAcquire(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new QmpTimeoutException(command + ": waited " + timeout.toMillis() + " ms for one of "
                        + maxPendingCommands + " pending-command slots on " + address + "; nothing was sent", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException(command + ": interrupted while waiting for a pending-command slot; nothing was sent",
                    e);
        }
    }

    /**
     * The connected QEMU's QMP schema ({@code query-qmp-schema}): fetched on the first call (one
     * 207 KB reply for QEMU 7.2; tens of milliseconds with parsing), then cached for the
     * connection's life. Thread-safe; concurrent first callers share one fetch. Call it from a
     * caller thread, not from a completion stage running on an I/O thread. A connection built with
     * {@link QmpConnectionBuilder#validateCommands(boolean)} has it from {@code connect()} on.
     *
     * @throws QmpStateException   before {@code connect()}
     * @throws QmpTimeoutException when the schema does not arrive within the command timeout
     * @throws QmpCommandException when QEMU refuses {@code query-qmp-schema} (QEMU before 2.5 lacks it)
     */
    public QmpSchema schema() {
        return schema.get(() -> {
            requireBlockingAllowed();
            return awaitCall(send("query-qmp-schema", null, commandTimeout, null, true), commandTimeout);
        });
    }

    private void requireState(String action, ConnectionState required) {
        if (state != required) {
            throw new QmpStateException(action, state, required.name());
        }
    }

    /**
     * Runs {@code command} with the file descriptors {@code fds} attached (SCM_RIGHTS on the
     * command's own first bytes, never on a separate byte QEMU would parse) and waits for its
     * reply. Only on UNIX sockets with the native transport; needs JNA. Commands that carry
     * descriptors are sent one at a time (QEMU keeps only the descriptors of the latest message),
     * in request order with all other commands. Our descriptors stay ours: close them when the
     * call has returned.
     *
     * @throws QmpFdPassingException when descriptors cannot be passed here (nothing was sent)
     * @see #executeWithFdsAsync
     */
    public JsonNode executeWithFds(String command, Map<String, ?> arguments, QmpFd... fds) {
        requireBlockingAllowed();
        return awaitValue(submitWithFds(command, arguments, fds), commandTimeout);
    }

    /**
     * Sends {@code command} with {@code fds} attached, like {@link #executeWithFds}; the
     * descriptors must stay open until the future completes.
     */
    public CompletableFuture<JsonNode> executeWithFdsAsync(String command, Map<String, ?> arguments, QmpFd... fds) {
        return submitWithFds(command, arguments, fds).thenApply(QmpReturn::value);
    }

    private CompletableFuture<QmpReturn> submitWithFds(String command, Map<String, ?> arguments, QmpFd[] fds) {
        Objects.requireNonNull(fds, "fds");
        if (fds.length == 0 || fds.length > NativeFds.maxFdsPerMessage()) {
            throw new IllegalArgumentException(command + ": pass 1 to " + NativeFds.maxFdsPerMessage()
                    + " file descriptors, got " + fds.length);
        }
        if (!(address instanceof QmpAddress.Unix) || tls != null) {
            throw new QmpFdPassingException(command + ": file descriptors can only be passed over a plain UNIX socket,"
                    + " not " + address + (tls != null ? " with TLS" : "") + "; nothing was sent");
        }
        NativeFds.requireAvailable();
        int[] numbers = new int[fds.length];
        for (int i = 0; i < fds.length; i++) {
            numbers[i] = Objects.requireNonNull(fds[i], "fds[" + i + "]").value();
        }
        return submit(command, arguments, commandTimeout, numbers);
    }

    /**
     * Passes {@code fd} to QEMU under {@code name} ({@code getfd}), for commands that take an fd
     * name such as {@code netdev_add} ({@code fd}/{@code fds}) or {@code chardev-add}. QEMU holds
     * its own copy until {@link #closefd} or until a command consumes it.
     */
    public void getfd(String name, QmpFd fd) {
        executeWithFds("getfd", Map.of("fdname", Objects.requireNonNull(name, "name")), fd);
    }

    /** Drops the descriptor QEMU holds under {@code name} ({@code closefd}). */
    public void closefd(String name) {
        execute("closefd", Map.of("fdname", Objects.requireNonNull(name, "name")));
    }

    /**
     * Adds {@code fd} to an fd set ({@code add-fd}), which QEMU opens as {@code /dev/fdset/N}
     * (for example in {@code blockdev-add}).
     *
     * @param fdsetId the set to add to, or {@code null} for a new set
     * @param opaque  a free-form note stored with it, or {@code null}
     * @return the set's id and the descriptor's number inside QEMU
     */
    public AddedFd addFd(Integer fdsetId, QmpFd fd, String opaque) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        if (fdsetId != null) {
            args.put("fdset-id", fdsetId);
        }
        if (opaque != null) {
            args.put("opaque", opaque);
        }
        JsonNode r = executeWithFds("add-fd", args, fd);
        return new AddedFd(r.path("fdset-id").asInt(), r.path("fd").asInt());
    }

    /** Removes a descriptor ({@code fd}, QEMU's number) or, with {@code fd} null, the whole set ({@code remove-fd}). */
    public void removeFd(int fdsetId, Integer fd) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("fdset-id", fdsetId);
        if (fd != null) {
            args.put("fd", fd);
        }
        execute("remove-fd", args);
    }

    /** QEMU's fd sets ({@code query-fdsets}): an array of {@code {fdset-id, fds: [{fd, opaque}]}}. */
    public JsonNode queryFdsets() {
        return execute("query-fdsets");
    }

    /**
     * Subscribes to events matching {@code filter}, buffering up to the builder's
     * {@link QmpConnectionBuilder#eventBufferSize(int) event buffer size} with
     * {@link OverflowPolicy#DROP_OLDEST}. Subscribe before sending the command that causes the
     * events.
     */
    public EventSubscription subscribe(EventFilter filter) {
        return subscribe(filter, eventBufferSize, OverflowPolicy.DROP_OLDEST);
    }

    /** Subscribes to events matching {@code filter} with a buffer of {@code capacity} events and {@code policy}. */
    public EventSubscription subscribe(EventFilter filter, int capacity, OverflowPolicy policy) {
        return events.subscribe(Objects.requireNonNull(filter, "filter"), capacity,
                Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Calls {@code listener} with every event matching {@code filter}, one at a time and in
     * order, on the event executor. Events wait in a bounded buffer (the builder's event buffer
     * size, {@link OverflowPolicy#DROP_OLDEST}) while the listener is busy. Close the returned
     * subscription to stop.
     */
    public EventSubscription onEvent(EventFilter filter, Consumer<QmpEvent> listener) {
        return events.listen(Objects.requireNonNull(filter, "filter"), eventBufferSize, OverflowPolicy.DROP_OLDEST,
                listener, eventExecutor);
    }

    /**
     * Waits for an event matching {@code filter} that arrived after the calling thread last sent a
     * command on this connection (or, if it sent none, after this call). So
     * {@code execute("stop"); awaitEvent(EventFilter.named("STOP"), t)} cannot miss the STOP that
     * QEMU sends before the reply. The connection keeps the last {@value EventHub#HISTORY_SIZE}
     * events for this. Each returned event moves the thread's mark past it, so consecutive calls
     * return consecutive events.
     *
     * @throws QmpTimeoutException          when no matching event arrives in time
     * @throws QmpConnectionClosedException when the connection closed and no matching event had arrived
     */
    public QmpEvent awaitEvent(EventFilter filter, Duration timeout) {
        long[] mark = eventMark.get();
        long after = mark[0] >= 0 ? mark[0] : events.sequence();
        EventHub.Numbered found = events.await(Objects.requireNonNull(filter, "filter"), after, timeout);
        mark[0] = found.sequence();
        return found.event();
    }

    /** Where the monitor is. */
    public QmpAddress address() {
        return address;
    }

    /** The total time allowed for one connect attempt. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The default time a command waits for its reply. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The largest message accepted, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    QmpTlsOptions tls() {
        return tls;
    }

    Duration waitForSocket() {
        return waitForSocket;
    }

    Duration reconnectFor() {
        return reconnectFor;
    }

    boolean oobRequested() {
        return enableOob;
    }

    boolean validatesCommands() {
        return validateCommands;
    }

    int eventBufferSize() {
        return eventBufferSize;
    }

    int maxPendingCommands() {
        return maxPendingCommands;
    }

    Backpressure backpressure() {
        return backpressure;
    }

    Executor eventExecutor() {
        return eventExecutor;
    }

    @Override
    public String toString() {
        return "QmpConnection[" + address + ", " + state + "]";
    }
}
