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
    final CompletableFuture<QmpReturn> future = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    boolean sent;

    /**
     * Caller thread: a call for {@code command} whose serialised request is {@code request}.
     *
     * @param timeout how long to wait for the reply, counted from submission
     */
    public PendingCall(String command, byte[] request, Duration timeout) {
        this.command = command;
        this.request = request;
        this.timeout = timeout;
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
