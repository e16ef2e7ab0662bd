package io.qmp4j.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.ssl.SslHandler;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpFdPassingException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.fd.NativeFds;
import io.qmp4j.internal.transport.EventLoops;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The send side of a {@link Session}: the calls waiting for a slot in the send window, the
 * calls in flight in request order (QEMU answers in-band commands in order), and every write
 * to the socket, by the event loop or, for a blocking caller, by the calling thread itself.
 *
 * <p><b>Direct writes.</b> A blocking caller whose request can go out at once (nothing waiting
 * or on its way to the loop, nothing queued in Netty, room in the window) on a plain native
 * socket writes it with {@code send(2)} instead of handing it to the event loop, which saves a
 * thread wake-up per round trip. Everything here is therefore guarded by {@link #lock}; and so
 * that a direct write can never reach a descriptor number the kernel has already given to
 * another file, such a socket is closed only by the session (Netty's own closes on end of input
 * and on write errors are turned off for it), after {@link #end} or {@link #markClosing} set
 * their flag under the lock.
 *
 * <p>Threads: {@link #writeDirect}, {@link #handingOver}, {@link #handOverFailed} and
 * {@link #markClosing} from any thread; {@link #attach} and {@link #setWindow} also from the
 * connecting thread before the channel is registered; the rest on the event loop.
 */
final class Outbox {
    /** {@code -Dqmp4j.directWrites=false} sends every request from the event loop (for comparison). */
    private static final boolean DIRECT_WRITES = !"false".equalsIgnoreCase(System.getProperty("qmp4j.directWrites"));
    /** Larger requests go through the event loop (they are rare, and the buffer stays small). */
    private static final int MAX_DIRECT_BYTES = 16 * 1024;

    private final Object lock = new Object();
    private final ArrayDeque<PendingCall> inFlight = new ArrayDeque<>();
    private final ArrayDeque<PendingCall> waiting = new ArrayDeque<>();
    private volatile Channel channel;
    /** The socket callers may write to directly; null when they may not (TLS, stdio, JDK transport). */
    private volatile Socket directSocket;
    private int window = 1;
    /** Set with the window after the negotiation: no direct write before it. */
    private boolean negotiated;
    private int fdCallsInFlight;
    private boolean retryScheduled;
    private boolean ended;
    /** Set before anyone but the session closes the channel: no direct write after it. */
    private boolean closing;
    /**
     * Calls submitted to the event loop and not yet queued there; direct writes wait until it is
     * zero. Atomic rather than under the lock: a submitting thread's increment precedes its own
     * later direct write in program order, which is all the ordering calls need.
     */
    private final AtomicInteger handedToLoop = new AtomicInteger();
    /** Writes handed to Netty and not yet on the socket; direct writes wait until it is zero. */
    private int nettyWrites;
    /** The unsent tail of a direct write the socket took only in part; the loop sends it first. */
    private ByteBuf pendingTail;
    /** Caller side of direct writes, reused (a request is copied in under the lock). */
    private ByteBuffer directBuffer;
    /** Ends the session when a write fails. */
    private final Consumer<QmpException> failSession;
    /** One listener for every write handed to Netty (not a new one per call). Event loop. */
    private final ChannelFutureListener written;

    /** {@code failSession} ends the session when a write fails. */
    Outbox(Consumer<QmpException> failSession) {
        this.failSession = failSession;
        written = f -> {
            synchronized (lock) {
                nettyWrites--;
            }
            if (!f.isSuccess()) {
                failSession.accept(new QmpConnectionClosedException("writing to QEMU failed", f.cause()));
            }
        };
    }

    /** Binds to {@code ch}, enabling direct writes when it allows them. Idempotent. */
    void attach(Channel ch) {
        channel = ch;
        if (DIRECT_WRITES && ch instanceof UnixChannel unix && unix.fd() instanceof Socket socket
                && ch.pipeline().get(SslHandler.class) == null) {
            // the session closes the socket, never Netty on its own (see the class comment)
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            ch.config().setAutoClose(false);
            directSocket = socket;
        }
    }

    /**
     * Caller thread: writes {@code call} to the socket now if it may go out at once, and marks it
     * {@linkplain PendingCall#callerTimed() caller-timed}; returns false, having sent nothing,
     * when it must go through the event loop instead (something is ahead of it, the window is
     * full, the socket buffer is full, the channel does not allow it, or the session is ending).
     */
    boolean writeDirect(PendingCall call) {
        Socket socket = directSocket;
        int length = call.request.length;
        if (socket == null || call.fds != null || length > MAX_DIRECT_BYTES) {
            return false;
        }
        synchronized (lock) {
            if (ended || closing || !negotiated || handedToLoop.get() > 0 || nettyWrites > 0 || pendingTail != null
                    || !waiting.isEmpty() || inFlight.size() >= window) {
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
                n = socket.send(buffer, 0, length);
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

    /** Any thread, before handing a call to the event loop: no later direct write may overtake it. */
    void handingOver() {
        handedToLoop.incrementAndGet();
    }

    /** Any thread: the event loop refused the call counted by {@link #handingOver}. */
    void handOverFailed() {
        handedToLoop.decrementAndGet();
    }

    /**
     * Event loop: a call counted by {@link #handingOver} joins the queue, with its timeout, and
     * goes out when the window allows. Returns false, having queued nothing, when the session has ended.
     */
    boolean enqueue(PendingCall call) {
        synchronized (lock) {
            handedToLoop.decrementAndGet(); // under the lock with the queueing: no direct write slips between
            if (ended) {
                return false;
            }
            long nanos = call.timeout.toNanos();
            call.timer = channel.eventLoop().schedule(() -> onTimeout(call), nanos, TimeUnit.NANOSECONDS);
            waiting.addLast(call);
        }
        pump();
        return true;
    }

    /**
     * Sets the send window after the negotiation (8 with oob, 2 without); from then on callers may
     * write directly. Call {@link #pump} afterwards when calls may be waiting.
     */
    void setWindow(int newWindow) {
        synchronized (lock) {
            window = newWindow;
            negotiated = true;
        }
    }

    /** Event loop: sends what the window allows, in request order, behind a direct write's tail. */
    void pump() {
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
            failSession.accept(new QmpConnectionClosedException("sending " + call.command
                    + " with file descriptors failed: " + NativeFds.describe((int) -n)));
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
                synchronized (lock) {
                    retryScheduled = false;
                }
                pump();
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

    /**
     * Event loop: a reply arrived; returns the call it answers (the oldest in flight), or null
     * when none is in flight (the reply order is lost). Sends what the freed slot allows first,
     * so the next call goes out sooner and a caller woken by the reply finds the lock free.
     */
    PendingCall replied() {
        PendingCall call;
        boolean pumpNeeded;
        synchronized (lock) {
            call = inFlight.pollFirst();
            if (call != null && call.fds != null) {
                fdCallsInFlight--;
            }
            pumpNeeded = !waiting.isEmpty() || pendingTail != null;
        }
        if (call != null && pumpNeeded) {
            pump();
        }
        return call;
    }

    /** Any thread: no direct write from now on (someone is about to close the channel). */
    void markClosing() {
        synchronized (lock) {
            closing = true;
        }
    }

    /**
     * Ends sending: returns every call in flight or waiting (in that order) for the session to
     * fail, or null when it had ended already. No write of any kind follows.
     */
    List<PendingCall> end() {
        synchronized (lock) {
            if (ended) {
                return null;
            }
            ended = true;
            List<PendingCall> pending = new ArrayList<>(inFlight);
            pending.addAll(waiting);
            inFlight.clear();
            waiting.clear();
            if (pendingTail != null) {
                pendingTail.release();
                pendingTail = null;
            }
            return pending;
        }
    }
}
