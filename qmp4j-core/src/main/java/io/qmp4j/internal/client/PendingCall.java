package io.qmp4j.internal.client;

import io.qmp4j.QmpTimeoutException;
import io.qmp4j.message.QmpReturn;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One command from submission to completion. It completes exactly once: with the reply, a
 * timeout, or a closed-connection failure; after that a late reply is still matched to it (its
 * place in the reply order) and discarded. Fields other than the final ones are touched under
 * the session's {@link Outbox} lock (or, for {@code timer}, on the event loop), except that a caller writing
 * the request itself sets {@code callerTimed} before anyone else can see the call.
 */
public final class PendingCall {
    final String command;
    final byte[] request;
    final Duration timeout;
    final int[] fds;
    final CallFuture future = new CallFuture();
    ScheduledFuture<?> timer;
    boolean sent;
    /** Set by the submitting thread when it wrote the request itself: no timer; it times the call out. */
    boolean callerTimed;

    /**
     * Caller thread: a call for {@code command} whose serialised request is {@code request}.
     *
     * @param timeout how long to wait for the reply, counted from submission
     */
    public PendingCall(String command, byte[] request, Duration timeout) {
        this(command, request, timeout, null);
    }

    /**
     * Caller thread: a call whose request carries the file descriptors {@code fds} (SCM_RIGHTS
     * on its first bytes); {@code null} or empty for none. The descriptors must stay open until
     * the future completes.
     */
    public PendingCall(String command, byte[] request, Duration timeout, int[] fds) {
        this.command = command;
        this.request = request;
        this.timeout = timeout;
        this.fds = fds == null || fds.length == 0 ? null : fds.clone();
    }

    /**
     * Caller thread, before {@code Session.submit}: {@code slot} gets one permit back when this
     * call completes, however it completes (reply, error, timeout, cancel, close).
     */
    public void releaseOnCompletion(Semaphore slot) {
        future.slot = slot;
    }

    /**
     * The call's future: releases the pending-command slot exactly once on completion, without
     * a completion stage per call (this is on every round trip's allocation path).
     */
    static final class CallFuture extends CompletableFuture<QmpReturn> {
        private static final AtomicIntegerFieldUpdater<CallFuture> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(CallFuture.class, "released");
        volatile Semaphore slot;
        private volatile int released;

        @Override
        public boolean complete(QmpReturn value) {
            boolean done = super.complete(value);
            release();
            return done;
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            boolean done = super.completeExceptionally(failure);
            release();
            return done;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            release();
            return done;
        }

        private void release() {
            Semaphore s = slot;
            if (s != null && isDone() && RELEASED.compareAndSet(this, 0, 1)) {
                s.release();
            }
        }
    }

    /**
     * Submitting thread, after {@code Session.submit(call, true)}: whether the call was written
     * by this thread and has no timer, so that this thread must fail it at its timeout
     * (the caller's wait cancels it; see {@link #timedOut()}); otherwise the event loop does.
     */
    public boolean callerTimed() {
        return callerTimed;
    }

    /**
     * The exception for a call whose caller gave up waiting at its timeout (the request was
     * sent; its late reply will be matched to it and discarded).
     */
    public QmpTimeoutException timedOut() {
        return new QmpTimeoutException(command, timeout, true);
    }

    /** The command name. */
    public String command() {
        return command;
    }

    /** Completes with the success reply; fails with a typed {@code QmpException}. */
    public CompletableFuture<QmpReturn> future() {
        return future;
    }
}
