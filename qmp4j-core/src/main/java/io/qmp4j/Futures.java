package io.qmp4j;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Caller-thread waiting on futures that the event loop completes, with typed failures. */
final class Futures {
    private Futures() {
    }

    /**
     * Waits for {@code future}. The event loop normally completes it before {@code bound}
     * (it owns the call's timeout); the bound only guards against a loop that died.
     *
     * @param onTimeout the exception for an expired bound, or {@code null} for a generic one
     */
    static <T> T await(CompletableFuture<T> future, Duration bound, Supplier<QmpException> onTimeout) {
        try {
            return future.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof QmpException q) {
                // Each call gets its own exception instance; the caller's stack says where it
                // was called from, which the event loop's stack cannot.
                q.fillInStackTrace();
                throw q;
            }
            throw new QmpException("unexpected failure: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw onTimeout != null ? onTimeout.get()
                    : new QmpTimeoutException("no answer within " + bound.toMillis() + " ms", bound);
        } catch (CancellationException e) {
            throw new QmpException("the call was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for QEMU (the request may have been sent)", e);
        }
    }
}
