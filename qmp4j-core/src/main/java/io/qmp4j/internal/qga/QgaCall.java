package io.qmp4j.internal.qga;

import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpReturn;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request to the guest agent from submission to completion. It completes exactly once:
 * with the reply, a timeout, or a closed-connection failure. Fields other than the final ones
 * are touched only on the event loop.
 */
public final class QgaCall {
    /** What the session does with a call. */
    public enum Kind {
        /** A command the agent answers. */
        COMMAND,
        /**
         * A command the agent answers only when it fails ({@code success-response: false}, e.g.
         * {@code guest-shutdown}); success is confirmed by a {@code guest-sync-delimited} sent
         * right behind it.
         */
        NO_REPLY,
        /** A resynchronisation: 0xFF, then {@code guest-sync-delimited} with a fresh id. */
        SYNC
    }

    /** Where a call is on the wire. */
    enum Phase {
        /** Queued, nothing written. */
        WAITING,
        /** A resynchronisation is running for it; the call itself is not written yet. */
        SYNCING,
        /** Written; the agent's reply (or, for {@link Kind#NO_REPLY}, the confirming sync) is due. */
        SENT
    }

    final String command;
    final byte[] request;
    final Duration timeout;
    final Kind kind;
    final CompletableFuture<QmpReturn> future = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    Phase phase = Phase.WAITING;
    /** For {@link Kind#NO_REPLY}: the agent's error reply, seen before the confirming sync's. */
    QmpError error;

    /**
     * Caller thread: a call for {@code command} whose serialised request is {@code request}
     * ({@code null} for {@link Kind#SYNC}, which builds its own).
     *
     * @param timeout how long to wait for the reply, counted from submission, resynchronisation included
     */
    public QgaCall(String command, byte[] request, Duration timeout, Kind kind) {
        this.command = command;
        this.request = request;
        this.timeout = timeout;
        this.kind = kind;
    }

    /** Caller thread: a resynchronisation that must finish within {@code timeout}. */
    public static QgaCall sync(Duration timeout) {
        return new QgaCall("guest-sync-delimited", null, timeout, Kind.SYNC);
    }

    /** The command name. */
    public String command() {
        return command;
    }

    /** Completes with the success reply; fails with a typed {@code QmpException}. */
    public CompletableFuture<QmpReturn> future() {
        return future;
    }

    /** Whether the request (or, for a sync, its 0xFF) had been written when the call ended. */
    boolean sent() {
        return phase == Phase.SENT;
    }
}
