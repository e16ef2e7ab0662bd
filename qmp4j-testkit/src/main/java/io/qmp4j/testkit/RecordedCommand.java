package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One request as {@link FakeQmpServer} received it: its parts, its exact text, and where it came
 * in the server's life.
 *
 * <p>Immutable: the JSON accessors return copies. Every JSON value a client sends is recorded,
 * even one the server rejects (an array, an object without "execute"); then {@link #name()} may
 * be null. The parts follow the request format of the QMP spec, section 2.3.
 */
public final class RecordedCommand {
    private final JsonNode request;
    private final String name;
    private final boolean outOfBand;
    private final String raw;
    private final long sequence;
    private final int connectionIndex;

    /**
     * Creates a record of one request.
     *
     * @param request the whole request as parsed; copied
     * @param raw the request's exact text as received (UTF-8 decoded)
     * @param sequence this request's 0-based position among all requests the server received
     * @param connectionIndex the 0-based index of the connection it came on
     */
    public RecordedCommand(JsonNode request, String raw, long sequence, int connectionIndex) {
        this.request = Objects.requireNonNull(request, "request").deepCopy();
        this.raw = Objects.requireNonNull(raw, "raw");
        this.sequence = sequence;
        this.connectionIndex = connectionIndex;
        JsonNode execute = request.get("execute");
        JsonNode oob = request.get("exec-oob");
        if (execute != null && execute.isTextual()) {
            this.name = execute.asText();
            this.outOfBand = false;
        } else if (oob != null && oob.isTextual()) {
            this.name = oob.asText();
            this.outOfBand = true;
        } else {
            this.name = null;
            this.outOfBand = false;
        }
    }

    /**
     * Returns the command name, taken from "execute" or "exec-oob".
     *
     * @return the name, or null if the request has no string "execute" or "exec-oob" member
     */
    public String name() {
        return name;
    }

    /**
     * Returns whether the request used "exec-oob" rather than "execute".
     *
     * @return true for an out-of-band request
     */
    public boolean outOfBand() {
        return outOfBand;
    }

    /**
     * Returns a copy of the "arguments" member.
     *
     * @return the arguments as sent (normally an object), or null if the member is absent
     */
    public JsonNode arguments() {
        JsonNode arguments = request.get("arguments");
        return arguments == null ? null : arguments.deepCopy();
    }

    /**
     * Returns a copy of the "id" member.
     *
     * @return the id (any JSON value; a JSON null is a {@code NullNode}), or null if it is absent
     */
    public JsonNode id() {
        JsonNode id = request.get("id");
        return id == null ? null : id.deepCopy();
    }

    /**
     * Returns a copy of the whole request.
     *
     * @return the parsed request (not necessarily an object)
     */
    public JsonNode request() {
        return request.deepCopy();
    }

    /**
     * Returns the request's exact text, without the whitespace around it.
     *
     * @return the text as received, for example {@code {"execute":"stop"}}
     */
    public String raw() {
        return raw;
    }

    /**
     * Returns this request's position among all requests the server received, on any connection.
     *
     * @return a 0-based sequence number
     */
    public long sequence() {
        return sequence;
    }

    /**
     * Returns the index of the connection the request came on.
     *
     * @return 0 for the first accepted connection, 1 for the next, and so on
     */
    public int connectionIndex() {
        return connectionIndex;
    }

    @Override
    public String toString() {
        return "RecordedCommand#" + sequence + "@" + connectionIndex + ' ' + raw;
    }
}
