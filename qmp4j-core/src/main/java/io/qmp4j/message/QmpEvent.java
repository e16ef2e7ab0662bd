package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.Objects;

/**
 * An asynchronous event, {@code {"event": NAME, "data": {...}, "timestamp": {"seconds": S,
 * "microseconds": U}}} (QMP spec, section 2.5 "Asynchronous events").
 *
 * <p>Events may arrive at any time, including between a command and its reply: QEMU sends the
 * {@code STOP} event of {@code stop} before the reply.
 *
 * @param name         the event name, for example {@code STOP}
 * @param data         the {@code data} member, or {@link MissingNode} when the event has none
 *                     (STOP and RESUME have none); shared, do not modify
 * @param seconds      {@code timestamp.seconds} (QEMU's host clock), or -1 when absent
 * @param microseconds {@code timestamp.microseconds}, or -1 when absent
 * @param json         the whole message
 * @param raw          the line as received
 */
public record QmpEvent(String name, JsonNode data, long seconds, long microseconds, JsonNode json, String raw)
        implements QmpMessage {
    /** Checks that the required parts are present. */
    public QmpEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(raw, "raw");
    }

    /** The timestamp QEMU gave the event, or {@link Instant#EPOCH} when it had none. */
    public Instant timestamp() {
        if (seconds < 0) {
            return Instant.EPOCH;
        }
        return Instant.ofEpochSecond(seconds, Math.max(0, microseconds) * 1_000L);
    }
}
