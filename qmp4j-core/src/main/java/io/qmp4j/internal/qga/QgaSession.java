package io.qmp4j.internal.qga;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.Future;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.client.ErrorMapper;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.QmpFrameDecoder;
import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReply;
import io.qmp4j.message.QmpReturn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The guest agent protocol on one channel, owned by its event loop. Unlike QMP there is no
 * greeting, replies carry no id and may be stale (left by an earlier client, or late answers to
 * calls that timed out), so:
 *
 * <ul>
 *   <li>one call is on the wire at a time;
 *   <li>whenever the reply order may be lost (at the start, after a call timed out once sent,
 *       after a malformed or unexpected line) the next call is preceded by a resynchronisation:
 *       a 0xFF byte (which resets the agent's JSON parser; the agent answers it with a
 *       {@code JSON parse error} reply) and {@code guest-sync-delimited} with a random id. The
 *       agent puts a 0xFF byte before that reply; everything before it, and every delimited reply
 *       with another id, is skipped;
 *   <li>commands that answer only on failure ({@link QgaCall.Kind#NO_REPLY}) are followed by a
 *       {@code guest-sync-delimited} without the 0xFF: an error reply before its delimiter is
 *       theirs, the sync reply confirms success.
 * </ul>
 *
 * <p>Every method except {@link #submit}, {@link #terminated()} and {@link #shutdown} runs on
 * the event loop. Nothing here waits or runs user code.
 */
public final class QgaSession extends ChannelInboundHandlerAdapter {
    private static final byte[] DELIMITER = {(byte) 0xFF};
    private static final String CLOSED_BY_PEER = "the guest agent channel was closed (agent or QEMU gone)";

    private final ArrayDeque<QgaCall> waiting = new ArrayDeque<>();
    private final CompletableFuture<QmpException> terminated = new CompletableFuture<>();
    private volatile Channel channel;
    /** The call on the wire (or being synced for), or null. */
    private QgaCall active;
    /** Whether stale replies may be in the channel, so the next command must resync first. */
    private boolean needsSync = true;
    /** The id of the guest-sync-delimited whose reply we are waiting for, or -1. */
    private long syncId = -1;
    /** Whether a 0xFF arrived since the last message while syncing: the next reply is a sync reply. */
    private boolean afterDelimiter;
    /** A 0xFF arrived while not syncing: the next message is a late sync reply, not ours. */
    private boolean skipNext;
    private boolean ended;

    /** Completes when the session has ended, with the reason. Any thread. */
    public CompletableFuture<QmpException> terminated() {
        return terminated;
    }

    /** Event loop: remembers the channel and turns on the decoder's 0xFF handling. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        QmpFrameDecoder decoder = ctx.pipeline().get(QmpFrameDecoder.class);
        if (decoder == null) {
            throw new IllegalStateException("the guest agent session needs a QmpFrameDecoder before it");
        }
        decoder.enableDelimiters();
    }

    /** Any thread: queues {@code call}; its future completes exactly once. */
    public void submit(QgaCall call) {
        Channel ch = channel;
        if (ch == null) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": not connected"));
            return;
        }
        try {
            ch.eventLoop().execute(() -> enqueue(call));
        } catch (RejectedExecutionException e) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": connection closed", e));
        }
    }

    private void enqueue(QgaCall call) {
        if (ended) {
            call.future.completeExceptionally(new QmpConnectionClosedException(call.command + ": connection closed",
                    terminated.getNow(null)));
            return;
        }
        call.timer = channel.eventLoop().schedule(() -> onTimeout(call), call.timeout.toNanos(), TimeUnit.NANOSECONDS);
        waiting.addLast(call);
        pump();
    }

    /** Event loop: puts the next call on the wire, after a resync if one is due. */
    private void pump() {
        while (active == null && !ended && !waiting.isEmpty()) {
            QgaCall call = waiting.pollFirst();
            if (call.future.isDone()) { // timed out or cancelled before it was sent: never send it
                continue;
            }
            active = call;
            if (call.kind == QgaCall.Kind.SYNC || needsSync) {
                call.phase = call.kind == QgaCall.Kind.SYNC ? QgaCall.Phase.SENT : QgaCall.Phase.SYNCING;
                startSync(true);
            } else {
                send(call);
            }
        }
    }

    private void startSync(boolean withDelimiter) {
        syncId = ThreadLocalRandom.current().nextLong(1, 1L << 53);
        afterDelimiter = false;
        skipNext = false;
        byte[] sync = QmpJson.request("guest-sync-delimited", Map.of("id", syncId), null, false);
        if (withDelimiter) {
            channel.write(io.netty.buffer.Unpooled.wrappedBuffer(DELIMITER)).addListener(this::onWritten);
        }
        channel.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(sync)).addListener(this::onWritten);
    }

    private void send(QgaCall call) {
        call.phase = QgaCall.Phase.SENT;
        ByteBuf request = io.netty.buffer.Unpooled.wrappedBuffer(call.request);
        if (call.kind == QgaCall.Kind.NO_REPLY) {
            channel.write(request).addListener(this::onWritten);
            startSync(false);
        } else {
            channel.writeAndFlush(request).addListener(this::onWritten);
        }
    }

    private void onWritten(Future<? super Void> f) {
        if (!f.isSuccess()) {
            fail(new QmpConnectionClosedException("writing to the guest agent failed", f.cause()));
        }
    }

    private void onTimeout(QgaCall call) {
        if (call.future.isDone()) {
            return;
        }
        if (call == active) {
            active = null;
            needsSync = true; // its reply, or the sync's, may still come: skip it before the next call
        }
        String what = call.phase == QgaCall.Phase.SYNCING || call.kind == QgaCall.Kind.SYNC
                ? call.command + ": the guest agent did not answer guest-sync-delimited within "
                        + call.timeout.toMillis() + " ms (is qemu-ga running and responsive?)"
                        + (call.kind == QgaCall.Kind.SYNC ? "" : "; the command was not sent")
                : null;
        call.future.completeExceptionally(what != null ? new QmpTimeoutException(what, call.timeout)
                : new QmpTimeoutException(call.command, call.timeout, call.sent()));
        pump();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg == QmpFrameDecoder.DELIMITER) {
            if (syncId >= 0) {
                afterDelimiter = true;
            } else {
                skipNext = true; // a late answer to a sync we gave up on follows
            }
        } else if (msg instanceof QmpFrameDecoder.MalformedLine bad) {
            onMalformed(bad.error());
        } else if (msg instanceof QmpReply reply) {
            onReply(reply);
        } else {
            onMalformed(new QmpProtocolException("the guest agent sent a message that is not a reply: "
                    + quote(((QmpMessage) msg).raw())));
        }
    }

    private void onReply(QmpReply reply) {
        if (skipNext) {
            skipNext = false;
        } else if (syncId >= 0) {
            onReplyWhileSyncing(reply);
        } else if (active != null && active.phase == QgaCall.Phase.SENT && !needsSync) {
            QgaCall call = finish();
            if (reply instanceof QmpReturn ret) {
                call.future.complete(ret);
            } else {
                call.future.completeExceptionally(ErrorMapper.toException(call.command, (QmpError) reply));
            }
            pump();
        } else {
            needsSync = true; // a reply for nobody: stale, and the order is in doubt
        }
    }

    private void onReplyWhileSyncing(QmpReply reply) {
        if (afterDelimiter) {
            afterDelimiter = false;
            if (reply instanceof QmpReturn ret && ret.value().isIntegralNumber() && ret.value().asLong() == syncId) {
                synced(ret);
            }
            return; // a delimited reply to an older sync: skip
        }
        if (active != null && active.kind == QgaCall.Kind.NO_REPLY && active.phase == QgaCall.Phase.SENT
                && reply instanceof QmpError error && active.error == null) {
            active.error = error; // the only reply such a command gives
        }
        // otherwise: stale output, or the agent's error for our stray 0xFF
    }

    private void synced(QmpReturn syncReply) {
        syncId = -1;
        needsSync = false;
        QgaCall call = active;
        if (call == null) {
            return; // the call this sync was for has timed out meanwhile
        }
        if (call.phase == QgaCall.Phase.SYNCING) {
            send(call);
            return;
        }
        finish();
        if (call.kind == QgaCall.Kind.SYNC) {
            call.future.complete(syncReply);
        } else if (call.error != null) {
            call.future.completeExceptionally(ErrorMapper.toException(call.command, call.error));
        } else {
            call.future.complete(new QmpReturn(QmpJson.mapper().createObjectNode(), null,
                    QmpJson.mapper().createObjectNode(), "{}"));
        }
        pump();
    }

    private QgaCall finish() {
        QgaCall call = active;
        active = null;
        call.timer.cancel(false);
        return call;
    }

    private void onMalformed(QmpProtocolException error) {
        if (syncId >= 0) {
            afterDelimiter = false; // garbage while syncing is what syncing is for
            return;
        }
        needsSync = true;
        if (active != null && active.phase == QgaCall.Phase.SENT) {
            QgaCall call = finish();
            call.future.completeExceptionally(new QmpProtocolException(call.command + ": " + error.getMessage()
                    + " (the connection resynchronises before the next command)", error));
            pump();
        }
    }

    private static String quote(String raw) {
        byte[] b = raw.getBytes(StandardCharsets.UTF_8);
        return QmpProtocolException.quote(b, 0, b.length);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof QmpProtocolException p) {
            fail(p);
        } else if (c instanceof java.io.IOException) { // e.g. reset: the agent died with our request unread
            fail(new QmpConnectionClosedException(CLOSED_BY_PEER + ": " + c.getMessage(), c));
        } else {
            fail(new QmpConnectionClosedException("unexpected error on the guest agent channel: " + c, c));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new QmpConnectionClosedException(CLOSED_BY_PEER));
    }

    /** Any thread: ends the session with {@code reason} (used by close()). */
    public void shutdown(QmpException reason) {
        EventLoops.runOnLoopOrClose(channel, () -> fail(reason));
    }

    /** Ends the session: every pending call fails and the channel closes. Idempotent. */
    private void fail(QmpException reason) {
        if (ended) {
            return;
        }
        ended = true;
        List<QgaCall> pending = new ArrayList<>(waiting);
        if (active != null) {
            pending.add(0, active);
        }
        active = null;
        waiting.clear();
        for (QgaCall call : pending) {
            if (call.timer != null) {
                call.timer.cancel(false);
            }
            String sent = call.sent() ? " (the command was sent; the agent may have executed it)"
                    : " (the command was not sent)";
            call.future.completeExceptionally(reason instanceof QmpProtocolException
                    ? new QmpProtocolException(call.command + ": " + reason.getMessage(), reason)
                    : new QmpConnectionClosedException(call.command + ": " + reason.getMessage() + sent, reason));
        }
        if (channel != null) {
            channel.close();
        }
        terminated.complete(reason);
    }
}
