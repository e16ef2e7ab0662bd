package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shell's {@link SchemaHints}, fetched from QEMU once ({@code query-qmp-schema} and
 * {@code query-commands}) without blocking the person typing: completion uses them once they
 * are there (Tab waits a little for them right after start), {@code /help NAME} waits for them. A failed fetch is tried again on next use.
 */
final class SchemaSource {
    private final QmpConnection qmp;
    private final Duration timeout;
    private CompletableFuture<SchemaHints> loading;

    SchemaSource(QmpConnection qmp, Duration timeout) {
        this.qmp = qmp;
        this.timeout = timeout;
    }

    /** Any thread: starts fetching the schema unless it is fetched or being fetched. */
    synchronized CompletableFuture<SchemaHints> fetch() {
        if (loading == null || loading.isCompletedExceptionally()) {
            CompletableFuture<JsonNode> schema = qmp.executeAsync("query-qmp-schema", null, timeout);
            CompletableFuture<JsonNode> commands = qmp.executeAsync("query-commands", null, timeout);
            loading = schema.thenCombineAsync(commands, RawSchemaHints::of);
        }
        return loading;
    }

    /** How long Tab waits for a schema still on its way (only right after the shell starts). */
    static final Duration COMPLETION_WAIT = Duration.ofSeconds(3);

    /**
     * JLine's thread, on Tab: the hints, waiting up to {@link #COMPLETION_WAIT} for a fetch in
     * progress; null when none was started, it failed, or it is slower than that.
     */
    SchemaHints forCompletion() {
        CompletableFuture<SchemaHints> f;
        synchronized (this) {
            f = loading;
        }
        if (f == null) {
            return null;
        }
        try {
            return f.get(COMPLETION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /**
     * Caller thread: the hints, fetching them first if needed.
     *
     * @throws QmpException when QEMU does not give them
     */
    SchemaHints await() {
        CompletableFuture<SchemaHints> f = fetch();
        try {
            return f.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpTimeoutException("query-qmp-schema: interrupted while waiting", timeout);
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("query-qmp-schema", timeout, true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                throw q;
            }
            throw new IllegalStateException("cannot read QEMU's schema: " + e.getCause(), e.getCause());
        }
    }
}
