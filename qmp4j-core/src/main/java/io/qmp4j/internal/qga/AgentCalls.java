package io.qmp4j.internal.qga;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The one thing the exec and file loops need from a connection: run a command and wait. */
@FunctionalInterface
public interface AgentCalls {
    /**
     * Caller thread: runs {@code command} with the connection's command timeout and returns its
     * {@code return} value.
     *
     * @throws io.qmp4j.QmpException as {@link io.qmp4j.qga.QgaConnection#execute} does
     */
    JsonNode execute(String command, Map<String, ?> arguments);
}
