package io.qmp4j.testkit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Builds server messages and writes them the way QEMU 7.2 does: one line, {@code ", "} and
 * {@code ": "} separators, non-ASCII escaped as {@code \}{@code u00E9} (upper-case hex), and a
 * {@code \r\n} terminator. Internal; thread-safe.
 */
final class QmpWire {
    /** The line terminator of every server message (QMP spec, section 2.1). */
    static final byte[] CRLF = {'\r', '\n'};

    /** The mapper used for reading requests and building messages. */
    static final JsonMapper MAPPER =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = MAPPER.writer(new QemuPrettyPrinter());

    private QmpWire() {}

    /** Returns the message as QEMU formats it, without the terminator. Runs on any thread. */
    static String text(JsonNode message) {
        try {
            return WRITER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the message as one UTF-8 line ending in {@code \r\n}. Runs on any thread. */
    static byte[] line(JsonNode message) {
        return (text(message) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Builds the greeting (QMP spec, section 2.2). */
    static ObjectNode greeting(int major, int minor, int micro, String pkg, List<String> caps) {
        ObjectNode qmp = NODES.objectNode();
        qmp.set("version", version(major, minor, micro, pkg));
        ArrayNode capabilities = qmp.putArray("capabilities");
        caps.forEach(capabilities::add);
        ObjectNode greeting = NODES.objectNode();
        greeting.set("QMP", qmp);
        return greeting;
    }

    /** Builds the value of {@code query-version}, which is also the greeting's "version". */
    static ObjectNode version(int major, int minor, int micro, String pkg) {
        ObjectNode qemu = NODES.objectNode().put("micro", micro).put("minor", minor).put("major", major);
        ObjectNode version = NODES.objectNode();
        version.set("qemu", qemu);
        version.put("package", pkg);
        return version;
    }

    /** Builds a success reply: "return" first, then "id" if present (QMP spec, section 2.4.1). */
    static ObjectNode returnMessage(JsonNode value, JsonNode id) {
        ObjectNode message = NODES.objectNode();
        message.set("return", value);
        if (id != null) {
            message.set("id", id);
        }
        return message;
    }

    /** Builds an error reply: "id" first if present, then "error" (QMP spec, section 2.4.2). */
    static ObjectNode errorMessage(String errorClass, String description, JsonNode id) {
        ObjectNode message = NODES.objectNode();
        if (id != null) {
            message.set("id", id);
        }
        message.putObject("error").put("class", errorClass).put("desc", description);
        return message;
    }

    /** Builds an event stamped with {@code now}; "data" is left out when null (QMP spec, 2.5). */
    static ObjectNode event(String name, JsonNode data, Instant now) {
        ObjectNode message = NODES.objectNode();
        message
                .putObject("timestamp")
                .put("seconds", now.getEpochSecond())
                .put("microseconds", now.getNano() / 1000);
        message.put("event", name);
        if (data != null) {
            message.set("data", data);
        }
        return message;
    }

    /** Writes QEMU's separators: no newlines, a space after every comma and colon. */
    private static final class QemuPrettyPrinter implements PrettyPrinter {
        @Override
        public void writeRootValueSeparator(JsonGenerator g) {}

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) {}

        @Override
        public void beforeObjectEntries(JsonGenerator g) {}
    }
}
