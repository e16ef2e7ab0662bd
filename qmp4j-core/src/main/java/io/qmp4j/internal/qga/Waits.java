package io.qmp4j.internal.qga;

import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.transport.IoThreads;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Caller-thread waiting on futures that the event loop completes, with typed failures. */
public final class Waits {
    private Waits() {
    }

    /**
     * Caller thread: waits for {@code future}, which the event loop completes by {@code timeout}
     * (it owns the call's timer); the extra second only guards against a loop that died.
     *
     * @throws IllegalStateException on a qmp4j I/O thread, where waiting would never end
     */
    public static <T> T await(CompletableFuture<T> future, Duration timeout) {
        if (IoThreads.isIoThread()) {
            throw new IllegalStateException("a blocking guest agent call on a qmp4j I/O thread (e.g. inside a callback"
                    + " of executeAsync's future) would wait for itself. Use executeAsync or the *Async stages there");
        }
        Duration bound = timeout.plusSeconds(1);
        try {
            return future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                q.fillInStackTrace(); // the caller's stack says where it was called from
                throw q;
            }
            throw new QmpException("unexpected failure: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new QmpTimeoutException("no answer within " + bound.toMillis() + " ms", bound);
        } catch (CancellationException e) {
            throw new QmpException("the call was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for the guest agent (the request may have been sent)", e);
        }
    }

    /** Caller thread: sleeps {@code millis}, turning an interrupt into a {@link QmpException}. */
    static void sleep(long millis, String during) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while " + during, e);
        }
    }
}
