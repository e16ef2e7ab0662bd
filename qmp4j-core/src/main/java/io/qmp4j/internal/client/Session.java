package io.qmp4j.internal.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.DomainSocketChannel;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The protocol state of one connection, owned by its event loop: the greeting, the calls in
 * flight (in request order, since QEMU answers in-band commands in order) and the calls waiting
 * for a free slot in the send window, plus the hand-off of events to the {@link EventHub}.
 *
 * <p>Every method except {@link #submit}, {@link #greeting()}, {@link #terminated()} and
 * {@link #shutdown} runs on the event loop. Nothing here waits or runs user code.
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
    private final ArrayDeque<PendingCall> inFlight = new ArrayDeque<>();
    private final ArrayDeque<PendingCall> waiting = new ArrayDeque<>();
    /** One listener for every write (not a new one per call). */
    private final ChannelFutureListener writeFailed = f -> {
        if (!f.isSuccess()) {
            fail(new QmpConnectionClosedException("writing to QEMU failed", f.cause()));
        }
    };
    private volatile Channel channel;
    private int window = 1;
    private int fdCallsInFlight;
    private boolean retryScheduled;
    private boolean ended;

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
        channel = ctx.channel();
    }

    /** Any thread: queues {@code call} for sending; its future completes exactly once. */
    public void submit(PendingCall call) {
        Channel ch = channel;
        if (ch == null) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": not connected"));
            return;
        }
        try {
            ch.eventLoop().execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
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

    /** Any thread: sets the send window after negotiation (8 with oob, 2 without). */
    public void setWindow(int newWindow) {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                window = newWindow;
                pump();
            });
        }
    }

    private void enqueue(PendingCall call) {
        if (ended) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": connection closed",
                    terminated.getNow(null)));
            return;
        }
        long nanos = call.timeout.toNanos();
        call.timer = channel.eventLoop().schedule(() -> onTimeout(call), nanos, TimeUnit.NANOSECONDS);
        waiting.addLast(call);
        pump();
    }

    private void pump() {
        boolean wrote = false;
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
            // a buffer from the channel's allocator: the socket takes it as it is, no copy into another
            channel.write(channel.alloc().directBuffer(call.request.length).writeBytes(call.request))
                    .addListener(writeFailed);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Sends the head call with its descriptors attached to its own first bytes (never to a byte
     * QEMU would parse as a stray token), with {@code sendmsg} on the socket itself. QEMU keeps
     * only the descriptors of the latest message, so one such call is in flight at a time, and
     * Netty's queue must be empty so that no earlier bytes go out after ours. Returns whether the
     * call left the waiting queue (sent, or failed on its own); false means "try again later".
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
            channel.writeAndFlush(Unpooled.wrappedBuffer(call.request, (int) n, call.request.length - (int) n))
                    .addListener(writeFailed);
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
        if (!call.sent) {
            waiting.remove(call);
        }
        call.future.completeExceptionally(new QmpTimeoutException(call.command, call.timeout, call.sent));
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
                fail(new QmpProtocolException("expected the QMP greeting (an object with key \"QMP\"), got: "
                        + quoteRaw(message.raw())));
            }
            return;
        }
        if (message instanceof QmpEvent event) {
            events.dispatch(event);
        } else if (message instanceof QmpReply reply) {
            onReply(reply);
        } else {
            fail(new QmpProtocolException("unexpected second greeting: " + quoteRaw(message.raw())));
        }
    }

    /** Event loop: sends the negotiation first thing and completes {@link #negotiated} with its outcome. */
    private void negotiate(QmpGreeting g, Negotiation n) {
        n.call().future.whenComplete((ok, failure) -> {
            if (failure == null) {
                window = n.window(); // on the loop: the reply completed the call here
                negotiated.complete(g);
                pump();
            } else {
                negotiated.completeExceptionally(failure);
            }
        });
        enqueue(n.call());
    }

    private void onReply(QmpReply reply) {
        PendingCall call = inFlight.pollFirst();
        if (call == null) {
            fail(new QmpProtocolException("reply for no pending command (reply order lost): "
                    + quoteRaw(reply.raw())));
            return;
        }
        call.timer.cancel(false);
        if (call.fds != null) {
            fdCallsInFlight--;
        }
        if (reply instanceof QmpReturn ret) {
            call.future.complete(ret);
        } else {
            call.future.completeExceptionally(ErrorMapper.toException(call.command, (QmpError) reply));
        }
        pump();
    }

    /** The message for the wire log, secrets masked. */
    private static String redacted(QmpMessage message) {
        if (message instanceof QmpReturn r) {
            return "{\"return\":" + QmpRedaction.redact(r.value()) + "}";
        }
        if (message instanceof QmpEvent e) {
            return "{\"event\":\"" + e.name() + "\",\"data\":" + QmpRedaction.redact(e.data()) + "}";
        }
        return message.raw();
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

    /** Any thread: ends the session with {@code reason} (used by close()). */
    public void shutdown(QmpException reason) {
        EventLoops.runOnLoopOrClose(channel, () -> fail(reason));
    }

    /**
     * Ends the session: every pending call fails and the socket closes. Idempotent. The event hub
     * outlives the session (a reconnecting connection keeps it); the connection closes it.
     */
    private void fail(QmpException reason) {
        if (ended) {
            return;
        }
        ended = true;
        List<PendingCall> pending = new ArrayList<>(inFlight);
        pending.addAll(waiting);
        inFlight.clear();
        waiting.clear();
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
