package io.qmp4j.internal.client;

import io.qmp4j.message.QmpReturn;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One command from submission to completion. It completes exactly once: with the reply, a
 * timeout, or a closed-connection failure; after that a late reply is still matched to it (its
 * place in the reply order) and discarded. Fields other than the final ones are touched only
 * on the event loop.
 */
public final class PendingCall {
    final String command;
    final byte[] request;
    final Duration timeout;
    final int[] fds;
    final CompletableFuture<QmpReturn> future = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    boolean sent;

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

    /** The command name. */
    public String command() {
        return command;
    }

    /** Completes with the success reply; fails with a typed {@code QmpException}. */
    public CompletableFuture<QmpReturn> future() {
        return future;
    }
}
