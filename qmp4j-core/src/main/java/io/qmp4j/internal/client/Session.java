package io.qmp4j.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.qmp4j.QmpFdPassingException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.event.EventHub;
import io.qmp4j.internal.fd.NativeFds;
import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReply;
import io.qmp4j.message.QmpRedaction;
import io.qmp4j.message.QmpReturn;
import io.qmp4j.internal.transport.EventLoops;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The protocol state of one connection: the greeting, the calls in flight (in request order,
 * since QEMU answers in-band commands in order) and the calls waiting for a free slot in the
 * send window, plus the hand-off of events to the {@link EventHub}.
 *
 * <p>Every method runs on the event loop except {@link #submit}, {@link #greeting()},
 * {@link #terminated()} and {@link #shutdown} (any thread), and {@link #attach} and the
 * {@link CallerHandshake} hooks (the connecting thread, before the channel is registered).
 * Nothing here waits or runs user code.
 *
 * <p><b>Direct writes.</b> A blocking caller whose request can go out at once (nothing waiting,
 * nothing queued in Netty, room in the window) on a plain native socket writes it to the socket
 * itself instead of handing it to the event loop, which saves a thread wake-up per round trip.
 * The call queues and every write are therefore guarded by {@link #lock}; and so that a direct
 * write can never reach a descriptor number the kernel has already given to another file, the
 * socket is closed only by this session (Netty's own closes on end of input and on write errors
 * are turned off for such channels) and only after {@code ended} or {@code closing} was set under
 * the lock.
 */
public final class Session extends ChannelInboundHandlerAdapter {
    /** Commands kept in QEMU's input queue when oob is enabled (QEMU queues up to 8). */
    public static final int WINDOW_WITH_OOB = 8;
    /** Without oob QEMU runs one command at a time; one more waits in the socket to hide the turnaround. */
    public static final int WINDOW_WITHOUT_OOB = 2;

    private static final System.Logger WIRE = System.getLogger("io.qmp4j.wire");
    /** {@code -Dqmp4j.directWrites=false} sends every request from the event loop (for comparison). */
    private static final boolean DIRECT_WRITES = !"false".equalsIgnoreCase(System.getProperty("qmp4j.directWrites"));
    /** Larger requests go through the event loop (they are rare, and the buffer stays small). */
    private static final int MAX_DIRECT_BYTES = 16 * 1024;
    private final EventHub events;
    private final CompletableFuture<QmpGreeting> greeting = new CompletableFuture<>();
    /** Completes when the negotiation sent by {@link #negotiateOnGreeting} was accepted. */
    private final CompletableFuture<QmpGreeting> negotiated = new CompletableFuture<>();
    /** Event loop: builds the negotiation call from the greeting; null unless set before connecting. */
    private volatile Function<QmpGreeting, Negotiation> negotiator;
    private final CompletableFuture<QmpException> terminated = new CompletableFuture<>();
    /** Guards the call queues, the window, the write accounting and the end flags (see above). */
    private final Object lock = new Object();
    private final ArrayDeque<PendingCall> inFlight = new ArrayDeque<>();
    private final ArrayDeque<PendingCall> waiting = new ArrayDeque<>();
    private volatile Channel channel;
    /** The socket callers may write to directly; null when they may not (TLS, stdio, JDK transport). */
    private volatile Socket directSocket;
    private int window = 1;
    private int fdCallsInFlight;
    private boolean retryScheduled;
    private boolean ended;
    /** Set by {@link #shutdown} before anyone closes the channel: no direct write after it. */
    private boolean closing;
    /** Calls submitted to the event loop and not yet queued there; direct writes wait until it is zero. */
    private int handedToLoop;
    /** Writes handed to Netty and not yet on the socket; direct writes wait until it is zero. */
    private int nettyWrites;
    /** The unsent tail of a direct write the socket took only in part; the loop sends it first. */
    private ByteBuf pendingTail;
    /** Caller side of direct writes, reused (a request is copied in under the lock). */
    private ByteBuffer directBuffer;
    /** One listener for every write handed to Netty (not a new one per call). Event loop. */
    private final ChannelFutureListener written = f -> {
        synchronized (lock) {
            nettyWrites--;
        }
        if (!f.isSuccess()) {
            fail(new QmpConnectionClosedException("writing to QEMU failed", f.cause()));
        }
    };

    /** Caller thread: a session that hands events to {@code events}. */
    public Session(EventHub events) {
        this.events = events;
    }

    /** Completes with the server greeting, or fails when the session ends first. Any thread. */
    public CompletableFuture<QmpGreeting> greeting() {
        return greeting;
    }

    /** Completes when the session has ended, with the reason (a closed or protocol exception). Any thread. */
    public CompletableFuture<QmpException> terminated() {
        return terminated;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        attach(ctx.channel());
    }

    /**
     * Event loop, or the caller thread before {@code ch} is registered: binds the session to its
     * channel and enables direct writes when the channel allows them. Idempotent.
     */
    public void attach(Channel ch) {
        channel = ch;
        if (DIRECT_WRITES && ch instanceof UnixChannel unix && unix.fd() instanceof Socket socket
                && ch.pipeline().get(SslHandler.class) == null) {
            // this session closes the socket, never Netty on its own (see the class comment)
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            ch.config().setAutoClose(false);
            directSocket = socket;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) { // end of input with half-closure on: QEMU closed
            fail(new QmpConnectionClosedException("QEMU closed the connection"));
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Any thread: queues {@code call} for sending; its future completes exactly once. */
    public void submit(PendingCall call) {
        submit(call, false);
    }

    /**
     * Any thread: sends {@code call}. With {@code callerWaits} (a blocking caller that will wait
     * for the future) the request may be written by the calling thread itself; the call then has
     * no timer, {@link PendingCall#callerTimed()} says so, and the caller must fail it at its
     * timeout. Otherwise the event loop sends it and times it out.
     */
    public void submit(PendingCall call, boolean callerWaits) {
        Channel ch = channel;
        if (ch == null) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": not connected"));
            return;
        }
        if (callerWaits && call.fds == null && directSocket != null && writeDirect(call)) {
            return;
        }
        synchronized (lock) {
            handedToLoop++; // a later direct write must not overtake this call
        }
        try {
            ch.eventLoop().execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                handedToLoop--;
            }
            call.future.completeExceptionally(new QmpConnectionClosedException(
                    call.command + ": connection closed", e));
        }
    }

    /**
     * Caller thread: writes {@code call} to the socket now if it may go out at once; returns
     * false, having sent nothing, when it must go through the event loop instead (something is
     * ahead of it, the window is full, the socket buffer is full, or the session is ending).
     */
    private boolean writeDirect(PendingCall call) {
        int length = call.request.length;
        if (length > MAX_DIRECT_BYTES) {
            return false;
        }
        synchronized (lock) {
            if (ended || closing || handedToLoop > 0 || nettyWrites > 0 || pendingTail != null
                    || !waiting.isEmpty() || inFlight.size() >= window || !negotiated.isDone()) {
                return false;
            }
            ByteBuffer buffer = directBuffer;
            if (buffer == null || buffer.capacity() < length) {
                buffer = ByteBuffer.allocateDirect(Math.max(256, Integer.highestOneBit(length - 1) << 1));
                directBuffer = buffer;
            }
            buffer.clear();
            buffer.put(call.request);
            int n;
            try {
                n = directSocket.send(buffer, 0, length);
            } catch (IOException e) {
                return false; // the event loop meets the same error and ends the session with it
            }
            if (n <= 0) {
                return false; // the socket buffer is full: the loop writes when there is room
            }
            call.sent = true;
            call.callerTimed = true;
            inFlight.addLast(call);
            if (n < length) { // the rest goes out from the loop before anything else
                pendingTail = Unpooled.wrappedBuffer(call.request, n, length - n);
                EventLoops.runOnLoopOrClose(channel, this::pump);
            }
            return true;
        }
    }

    /** The {@code qmp_capabilities} call to send for a greeting, and the send window once it succeeds. */
    public record Negotiation(PendingCall call, int window) {
    }

    /**
     * Caller thread, before connecting: when the greeting arrives, the event loop sends the call
     * {@code negotiator} builds from it right away (no round trip through the caller), and
     * {@link #negotiated()} completes with the greeting once QEMU accepts it; the send window is
     * then set from the {@link Negotiation}.
     */
    public void negotiateOnGreeting(Function<QmpGreeting, Negotiation> negotiator) {
        this.negotiator = negotiator;
    }

    /** Completes with the greeting once the negotiation succeeded; fails like the call or the session. Any thread. */
    public CompletableFuture<QmpGreeting> negotiated() {
        return negotiated;
    }

    /** Caller thread, before the channel exists: the negotiation for {@code g}, as {@link #negotiateOnGreeting} set it. */
    Negotiation negotiationFor(QmpGreeting g) {
        return negotiator.apply(g);
    }

    /** Caller thread, before the channel exists: an event read during a handshake on that thread. */
    void deliverEarly(QmpEvent event) {
        events.dispatch(event);
    }

    /**
     * Caller thread, before the channel exists: the handshake ran on that thread (see
     * {@link CallerHandshake}) and QEMU accepted the negotiation; commands may use {@code newWindow}.
     */
    void handshakeDone(QmpGreeting g, int newWindow) {
        synchronized (lock) {
            window = newWindow;
        }
        greeting.complete(g);
        negotiated.complete(g);
    }

    /** Any thread: sets the send window after negotiation (8 with oob, 2 without). */
    public void setWindow(int newWindow) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                synchronized (lock) {
                    window = newWindow;
                }
                pump();
            });
        }
    }

    /** Event loop: a call {@link #submit} handed over (counted in {@code handedToLoop}) joins the queue. */
    private void enqueue(PendingCall call) {
        synchronized (lock) {
            handedToLoop--;
            if (!ended) {
                long nanos = call.timeout.toNanos();
                call.timer = channel.eventLoop().schedule(() -> onTimeout(call), nanos, TimeUnit.NANOSECONDS);
                waiting.addLast(call);
            }
        }
        if (call.timer == null) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": connection closed",
                    terminated.getNow(null)));
            return;
        }
        pump();
    }

    /** Event loop: sends what the window allows, in request order, behind a direct write's tail. */
    private void pump() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            boolean wrote = false;
            if (pendingTail != null) {
                nettyWrites++;
                channel.write(pendingTail).addListener(written);
                pendingTail = null;
                wrote = true;
            }
            while (inFlight.size() < window && !waiting.isEmpty()) {
                PendingCall call = waiting.peekFirst();
                if (call.future.isDone()) { // cancelled or timed out before it was sent: never send it
                    waiting.pollFirst();
                    continue;
                }
                if (call.fds != null) {
                    if (wrote) {
                        channel.flush();
                        wrote = false;
                    }
                    if (!sendWithFds(call)) {
                        break; // request order is kept: later calls wait behind it
                    }
                    continue;
                }
                waiting.pollFirst();
                call.sent = true;
                inFlight.addLast(call);
                nettyWrites++;
                // a buffer from the channel's allocator: the socket takes it as it is, no copy into another
                channel.write(channel.alloc().directBuffer(call.request.length).writeBytes(call.request))
                        .addListener(written);
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }
    }

    /**
     * Sends the head call with its descriptors attached to its own first bytes (never to a byte
     * QEMU would parse as a stray token), with {@code sendmsg} on the socket itself. QEMU keeps
     * only the descriptors of the latest message, so one such call is in flight at a time, and
     * Netty's queue must be empty so that no earlier bytes go out after ours. Returns whether the
     * call left the waiting queue (sent, or failed on its own); false means "try again later".
     * Event loop, holding the lock.
     */
    private boolean sendWithFds(PendingCall call) {
        if (fdCallsInFlight > 0) {
            return false; // resumed by that call's reply
        }
        if (!(channel instanceof DomainSocketChannel && channel instanceof UnixChannel unix)
                || channel.pipeline().get(SslHandler.class) != null) {
            waiting.pollFirst();
            call.timer.cancel(false);
            call.future.completeExceptionally(new QmpFdPassingException(call.command
                    + ": file descriptors can only be passed over a plain UNIX socket with the native (epoll)"
                    + " transport; nothing was sent"));
            return true;
        }
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued != null && !queued.isEmpty()) {
            retryLater();
            return false;
        }
        long n = NativeFds.send(unix.fd().intValue(), call.request, 0, call.request.length, call.fds);
        if (NativeFds.wouldBlock(n)) {
            retryLater();
            return false;
        }
        waiting.pollFirst();
        if (n < 0) {
            call.timer.cancel(false);
            if (NativeFds.badDescriptor(n)) {
                call.future.completeExceptionally(new QmpFdPassingException(call.command + ": a file descriptor to pass"
                        + " is not open (" + java.util.Arrays.toString(call.fds) + "); nothing was sent"));
                return true;
            }
            fail(new QmpConnectionClosedException("sending " + call.command + " with file descriptors failed: "
                    + NativeFds.describe((int) -n)));
            return true;
        }
        call.sent = true;
        fdCallsInFlight++;
        inFlight.addLast(call);
        if (n < call.request.length) { // the socket took only part: the descriptors went with it
            nettyWrites++;
            channel.writeAndFlush(Unpooled.wrappedBuffer(call.request, (int) n, call.request.length - (int) n))
                    .addListener(written);
        }
        return true;
    }

    private void retryLater() {
        if (!retryScheduled) {
            retryScheduled = true;
            channel.eventLoop().schedule(() -> {
                retryScheduled = false;
                if (!ended) {
                    pump();
                }
            }, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void onTimeout(PendingCall call) {
        boolean sent;
        synchronized (lock) {
            sent = call.sent;
            if (!sent) {
                waiting.remove(call);
            }
        }
        call.future.completeExceptionally(new QmpTimeoutException(call.command, call.timeout, sent));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        QmpMessage message = (QmpMessage) msg;
        if (WIRE.isLoggable(System.Logger.Level.TRACE)) {
            WIRE.log(System.Logger.Level.TRACE, ctx.channel().remoteAddress() + " -> " + redacted(message));
        }
        if (!greeting.isDone()) {
            if (message instanceof QmpGreeting g) {
                greeting.complete(g);
                Function<QmpGreeting, Negotiation> n = negotiator;
                if (n != null) {
                    negotiate(g, n.apply(g));
                }
            } else if (message instanceof QmpEvent event) {
                // QEMU 7.2 can queue an event (the start-up RESUME) ahead of the greeting:
                // it is a real event, so deliver it, and keep waiting for the greeting
                events.dispatch(event);
            } else {
                fail(notAGreeting(message));
            }
            return;
        }
        if (message instanceof QmpEvent event) {
            events.dispatch(event);
        } else if (message instanceof QmpReply reply) {
            onReply(reply);
        } else {
            fail(secondGreeting(message));
        }
    }

    /** Event loop: sends the negotiation first thing and completes {@link #negotiated} with its outcome. */
    private void negotiate(QmpGreeting g, Negotiation n) {
        n.call().future.whenComplete((ok, failure) -> {
            if (failure == null) {
                synchronized (lock) {
                    window = n.window(); // on the loop: the reply completed the call here
                }
                negotiated.complete(g);
                pump();
            } else {
                negotiated.completeExceptionally(failure);
            }
        });
        synchronized (lock) {
            handedToLoop++; // as submit() counts it; enqueue() takes it back
        }
        enqueue(n.call());
    }

    private void onReply(QmpReply reply) {
        PendingCall call;
        boolean pumpNeeded;
        synchronized (lock) {
            call = inFlight.pollFirst();
            if (call != null && call.fds != null) {
                fdCallsInFlight--;
            }
            pumpNeeded = !waiting.isEmpty() || pendingTail != null;
        }
        if (call == null) {
            fail(new QmpProtocolException("reply for no pending command (reply order lost): "
                    + quoteRaw(reply.raw())));
            return;
        }
        if (pumpNeeded) {
            // before waking the caller: the next call goes out sooner, and a woken caller that
            // writes its next request directly does not find the lock taken by this pump
            pump();
        }
        if (call.timer != null) {
            call.timer.cancel(false);
        }
        if (reply instanceof QmpReturn ret) {
            call.future.complete(ret);
        } else {
            call.future.completeExceptionally(ErrorMapper.toException(call.command, (QmpError) reply));
        }
    }

    /** The message for the wire log, secrets masked. */
    static String redacted(QmpMessage message) {
        if (message instanceof QmpReturn r) {
            return "{\"return\":" + QmpRedaction.redact(r.value()) + "}";
        }
        if (message instanceof QmpEvent e) {
            return "{\"event\":\"" + e.name() + "\",\"data\":" + QmpRedaction.redact(e.data()) + "}";
        }
        return message.raw();
    }

    /** The failure for a first message that is neither the greeting nor an event. */
    static QmpProtocolException notAGreeting(QmpMessage message) {
        return new QmpProtocolException("expected the QMP greeting (an object with key \"QMP\"), got: "
                + quoteRaw(message.raw()));
    }

    /** The failure for a greeting after the first. */
    static QmpProtocolException secondGreeting(QmpMessage message) {
        return new QmpProtocolException("unexpected second greeting: " + quoteRaw(message.raw()));
    }

    private static String quoteRaw(String raw) {
        byte[] b = raw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return QmpProtocolException.quote(b, 0, b.length);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof QmpProtocolException p) {
            fail(p);
        } else {
            fail(new QmpConnectionClosedException("I/O error on the QMP socket: " + c, c));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new QmpConnectionClosedException("QEMU closed the connection"));
    }

    /**
     * Any thread: ends the session with {@code reason} (used by close()). From here on no caller
     * writes to the socket directly, so whoever closes the channel next cannot race such a write.
     */
    public void shutdown(QmpException reason) {
        synchronized (lock) {
            closing = true;
        }
        if (channel == null) { // never connected (a failed handshake): nothing runs on a loop
            fail(reason);
            return;
        }
        EventLoops.runOnLoopOrClose(channel, () -> fail(reason));
    }

    /**
     * Ends the session: every pending call fails and the socket closes. Idempotent. The event hub
     * outlives the session (a reconnecting connection keeps it); the connection closes it.
     */
    private void fail(QmpException reason) {
        List<PendingCall> pending;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            pending = new ArrayList<>(inFlight);
            pending.addAll(waiting);
            inFlight.clear();
            waiting.clear();
            if (pendingTail != null) {
                pendingTail.release();
                pendingTail = null;
            }
        }
        greeting.completeExceptionally(reason);
        negotiated.completeExceptionally(reason);
        for (PendingCall call : pending) {
            if (call.timer != null) {
                call.timer.cancel(false);
            }
            call.future.completeExceptionally(perCall(call, reason));
        }
        if (channel != null) {
            channel.close();
        }
        terminated.complete(reason);
    }

    private static QmpException perCall(PendingCall call, QmpException reason) {
        if (reason instanceof QmpProtocolException) {
            return new QmpProtocolException(call.command + ": " + reason.getMessage(), reason);
        }
        return new QmpConnectionClosedException(call.command + ": " + reason.getMessage()
                + (call.sent ? " (the command was sent; QEMU may have executed it)" : " (the command was not sent)"),
                reason);
    }
}
