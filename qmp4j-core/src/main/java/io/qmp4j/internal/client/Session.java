package io.qmp4j.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.internal.event.EventHub;
import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReply;
import io.qmp4j.message.QmpRedaction;
import io.qmp4j.message.QmpReturn;
import io.qmp4j.internal.transport.EventLoops;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The protocol state of one connection: the greeting and negotiation, replies matched to their
 * calls and events handed to the {@link EventHub}; the calls themselves wait, go out and stay in
 * flight in its {@link Outbox}, which also lets a blocking caller write its own request.
 *
 * <p>Every method runs on the event loop except {@link #submit}, {@link #greeting()},
 * {@link #terminated()} and {@link #shutdown} (any thread), and {@link #attach} and the
 * {@link CallerHandshake} hooks (the connecting thread, before the channel is registered).
 * Nothing here waits or runs user code.
 */
public final class Session extends ChannelInboundHandlerAdapter {
    /** Commands kept in QEMU's input queue when oob is enabled (QEMU queues up to 8). */
    public static final int WINDOW_WITH_OOB = 8;
    /** Without oob QEMU runs one command at a time; one more waits in the socket to hide the turnaround. */
    public static final int WINDOW_WITHOUT_OOB = 2;

    private static final System.Logger WIRE = System.getLogger("io.qmp4j.wire");
    private final EventHub events;
    private final CompletableFuture<QmpGreeting> greeting = new CompletableFuture<>();
    /** Completes when the negotiation sent by {@link #negotiateOnGreeting} was accepted. */
    private final CompletableFuture<QmpGreeting> negotiated = new CompletableFuture<>();
    /** Event loop: builds the negotiation call from the greeting; null unless set before connecting. */
    private volatile Function<QmpGreeting, Negotiation> negotiator;
    private final CompletableFuture<QmpException> terminated = new CompletableFuture<>();
    private final Outbox outbox = new Outbox(this::fail);
    private volatile Channel channel;

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
        outbox.attach(ch);
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
        if (callerWaits && outbox.writeDirect(call)) {
            return;
        }
        outbox.handingOver(); // a later direct write must not overtake this call
        try {
            ch.eventLoop().execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
            outbox.handOverFailed();
            call.future.completeExceptionally(new QmpConnectionClosedException(
                    call.command + ": connection closed", e));
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

    /** Caller thread, before the channel exists: the negotiation for {@code g}, from {@link #negotiateOnGreeting}. */
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
        outbox.setWindow(newWindow);
        greeting.complete(g);
        negotiated.complete(g);
    }

    /** Any thread: sets the send window after negotiation (8 with oob, 2 without). */
    public void setWindow(int newWindow) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                outbox.setWindow(newWindow);
                outbox.pump();
            });
        }
    }

    /** Event loop: a call {@link #submit} handed over joins the outbox, or fails when the session has ended. */
    private void enqueue(PendingCall call) {
        if (!outbox.enqueue(call)) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": connection closed",
                    terminated.getNow(null)));
        }
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
                outbox.setWindow(n.window()); // on the loop: the reply completed the call here
                negotiated.complete(g);
                outbox.pump();
            } else {
                negotiated.completeExceptionally(failure);
            }
        });
        outbox.handingOver(); // as submit() counts it; the outbox takes it back
        enqueue(n.call());
    }

    private void onReply(QmpReply reply) {
        PendingCall call = outbox.replied();
        if (call == null) {
            fail(new QmpProtocolException("reply for no pending command (reply order lost): "
                    + quoteRaw(reply.raw())));
            return;
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
        outbox.markClosing();
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
        List<PendingCall> pending = outbox.end();
        if (pending == null) {
            return;
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
