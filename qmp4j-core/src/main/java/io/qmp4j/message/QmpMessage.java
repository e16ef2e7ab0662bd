package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message received from a QMP server: a greeting, a success reply, an error reply or an
 * event (QMP spec, section 2 "Protocol Specification").
 *
 * <p>Messages are immutable values. Each keeps the exact line it was parsed from
 * ({@link #raw()}) for diagnostics, and the parsed tree ({@link #json()}), which is shared:
 * treat it as read-only and {@link JsonNode#deepCopy() copy} it before changing it.
 */
public sealed interface QmpMessage permits QmpGreeting, QmpReply, QmpEvent {

    /** The whole message as parsed JSON (shared; do not modify). */
    JsonNode json();

    /** The message exactly as it arrived, without its line terminator. */
    String raw();
}
