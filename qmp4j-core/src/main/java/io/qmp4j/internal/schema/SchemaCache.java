package io.qmp4j.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.message.QmpJson;
import io.qmp4j.schema.QmpSchema;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One connection's schema: fetched once, on first use, then shared; and the validation hook of
 * the submit path. Thread-safe.
 */
public final class SchemaCache {
    private final Object lock = new Object();
    private volatile QmpSchema schema;

    /**
     * Caller thread, never an event loop (the fetch waits for a reply): the cached schema, or
     * the one {@code fetch} returns (the {@code query-qmp-schema} return value), parsed and
     * cached. Concurrent first callers share one fetch; a failed fetch is not cached.
     */
    public QmpSchema get(Supplier<JsonNode> fetch) {
        QmpSchema s = schema;
        if (s != null) {
            return s;
        }
        synchronized (lock) {
            if (schema == null) {
                schema = QmpSchema.parse(Objects.requireNonNull(fetch.get(), "schema"));
            }
            return schema;
        }
    }

    /** Forgets the cached schema: after a reconnect QEMU may be another version. */
    public void clear() {
        synchronized (lock) {
            schema = null;
        }
    }

    /**
     * Caller thread: validates {@code command} with {@code arguments} (a {@code JsonNode}, a
     * {@code Map} or {@code null}) against {@code schema}.
     *
     * @throws io.qmp4j.QmpValidationException when they do not match
     */
    public static void validate(QmpSchema schema, String command, Object arguments) {
        JsonNode args = arguments == null || arguments instanceof JsonNode
                ? (JsonNode) arguments : QmpJson.mapper().valueToTree(arguments);
        schema.validate(command, args);
    }
}
