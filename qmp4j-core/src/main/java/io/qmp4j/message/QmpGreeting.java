package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The server greeting, {@code {"QMP": {"version": {...}, "capabilities": [...]}}}, the first
 * message of every session (QMP spec, section 2.2 "Server Greeting").
 *
 * @param version      QEMU's version
 * @param capabilities the capabilities the server offers, for example {@code ["oob"]}
 * @param json         the whole message
 * @param raw          the line as received
 */
public record QmpGreeting(QmpVersion version, List<String> capabilities, JsonNode json, String raw)
        implements QmpMessage {
    /** Checks the parts and freezes the capability list. */
    public QmpGreeting {
        Objects.requireNonNull(version, "version");
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(raw, "raw");
    }

    /** Whether the server offers {@code capability} (for example {@code "oob"}). */
    public boolean offers(String capability) {
        return capabilities.contains(capability);
    }
}
