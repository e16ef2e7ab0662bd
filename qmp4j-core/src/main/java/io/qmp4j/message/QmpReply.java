package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A reply to a command: {@link QmpReturn} on success, {@link QmpError} on failure
 * (QMP spec, sections 2.4.1 and 2.4.2).
 */
public sealed interface QmpReply extends QmpMessage permits QmpReturn, QmpError {

    /** The {@code id} the request carried, echoed by the server, or {@code null} when it had none. */
    JsonNode id();
}
