package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A success reply, {@code {"return": VALUE, "id": ID}} (QMP spec, section 2.4.1 "success").
 *
 * @param value the {@code return} member: often an object, sometimes an array or a string
 *              ({@code human-monitor-command}); shared, do not modify
 * @param id    the echoed request id, or {@code null}
 * @param json  the whole message
 * @param raw   the line as received
 */
public record QmpReturn(JsonNode value, JsonNode id, JsonNode json, String raw) implements QmpReply {
    /** Checks that the required parts are present. */
    public QmpReturn {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(raw, "raw");
    }
}
