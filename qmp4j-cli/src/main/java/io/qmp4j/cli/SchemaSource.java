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
 * are there, {@code /help NAME} waits for them. A failed fetch is tried again on next use.
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

    /** Any thread: the hints if they have arrived, else null (and nothing waits). */
    synchronized SchemaHints now() {
        return loading == null ? null : loading.getNow(null);
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
