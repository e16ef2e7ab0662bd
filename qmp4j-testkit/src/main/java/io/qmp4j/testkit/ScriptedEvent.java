package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * An event that a {@link ScriptedReply} emits before or after its reply (QMP spec, section 2.5).
 *
 * <p>The timestamp is taken when the event is written. The data is copied on the way in and on
 * the way out, so the value is immutable.
 *
 * @param name the event name, for example {@code "STOP"}
 * @param data the event's "data" member, or null to leave the member out (as QEMU does for STOP)
 */
public record ScriptedEvent(String name, JsonNode data) {
    /**
     * Creates an event and copies its data.
     *
     * @param name the event name
     * @param data the "data" member, or null for none
     * @throws NullPointerException if {@code name} is null
     */
    public ScriptedEvent {
        Objects.requireNonNull(name, "name");
        data = data == null ? null : data.deepCopy();
    }

    /**
     * Returns a copy of the event's data.
     *
     * @return the "data" member, or null when the event has none
     */
    @Override
    public JsonNode data() {
        return data == null ? null : data.deepCopy();
    }
}
