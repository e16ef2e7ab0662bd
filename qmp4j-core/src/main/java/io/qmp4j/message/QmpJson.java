package io.qmp4j.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.QmpProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * QMP's JSON on both directions: turns one received line into a {@link QmpMessage} and writes
 * requests as compact JSON.
 *
 * <p>Requests carry no spaces and no terminator: QEMU reads its input one byte per system call
 * (about 3.6 µs each), so every byte saved is latency saved, and QEMU considers a request
 * complete at its closing brace.
 */
public final class QmpJson {
    /** The mapper qmp4j uses: strict JSON, no trailing tokens, strings as long as a message may be. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .build());
    }

    private static final byte[] EXECUTE_HEAD = "{\"execute\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC_OOB_HEAD = "{\"exec-oob\":\"".getBytes(StandardCharsets.US_ASCII);

    private QmpJson() {
    }

    /** The shared, thread-safe Jackson mapper (strict JSON); use it to build argument trees. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Serialises a request, {@code {"execute":NAME,"arguments":ARGS,"id":ID}}, as compact UTF-8
     * JSON without a terminator (QMP spec, section 2.3 "Issuing Commands").
     *
     * @param command   the command name, not blank
     * @param arguments {@code null}, a {@link JsonNode} object, or a {@link Map} with string keys
     * @param id        {@code null} for none, else any JSON value QEMU echoes back
     * @param oob       {@code true} to send {@code exec-oob} instead of {@code execute}
     * @throws IllegalArgumentException when the command is blank or the arguments are not an object
     */
    public static byte[] request(String command, Object arguments, JsonNode id, boolean oob) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("command must be a non-blank name, got '" + command + "'");
        }
        if (arguments instanceof JsonNode node && !node.isObject()) {
            throw new IllegalArgumentException(command + ": arguments must be a JSON object, got "
                    + node.getNodeType());
        }
        if (arguments != null && !(arguments instanceof JsonNode) && !(arguments instanceof Map)) {
            throw new IllegalArgumentException(command + ": arguments must be a JsonNode object or a Map, got "
                    + arguments.getClass().getName());
        }
        if (arguments == null && id == null) {
            byte[] plain = plainRequest(command, oob);
            if (plain != null) {
                return plain;
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + command.length());
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(oob ? "exec-oob" : "execute", command);
            if (arguments != null) {
                g.writeFieldName("arguments");
                MAPPER.writeValue(g, arguments);
            }
            if (id != null) {
                g.writeFieldName("id");
                MAPPER.writeTree(g, id);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(command + ": arguments cannot be written as JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * The bytes of {@code {"execute":"NAME"}} written directly, without a generator, when the name
     * is printable ASCII without {@code "} or {@code \\} (every QMP command name): the request of
     * most round trips, byte for byte what Jackson writes. Null when the name needs escaping.
     */
    private static byte[] plainRequest(String command, boolean oob) {
        byte[] head = oob ? EXEC_OOB_HEAD : EXECUTE_HEAD;
        int n = command.length();
        byte[] out = new byte[head.length + n + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = 0; i < n; i++) {
            char c = command.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return null;
            }
            out[head.length + i] = (byte) c;
        }
        out[out.length - 2] = '"';
        out[out.length - 1] = '}';
        return out;
    }

    /**
     * Parses one line (without its terminator) into a message.
     *
     * @throws QmpProtocolException when the line is not JSON, not an object, or not a QMP message
     */
    public static QmpMessage parse(byte[] line, int offset, int length) {
        JsonNode json;
        try {
            json = readTree(line, offset, length);
        } catch (StreamConstraintsException e) {
            throw new QmpProtocolException("message exceeds a JSON limit (" + e.getOriginalMessage() + "): "
                    + QmpProtocolException.quote(line, offset, length), e);
        } catch (IOException e) {
            throw new QmpProtocolException("message is not valid JSON: "
                    + QmpProtocolException.quote(line, offset, length), e);
        }
        if (json == null || !json.isObject()) {
            throw new QmpProtocolException("message is not a JSON object: "
                    + QmpProtocolException.quote(line, offset, length));
        }
        String raw = new String(line, offset, length, StandardCharsets.UTF_8);
        return classify(json, raw);
    }

    /**
     * The same tree as {@code MAPPER.readTree} with trailing tokens refused, built straight from
     * the streaming parser: a small reply then costs one parser and its nodes, without the
     * per-call deserialisation context of the data-binding layer. Null for empty input.
     */
    private static JsonNode readTree(byte[] line, int offset, int length) throws IOException {
        try (JsonParser p = MAPPER.getFactory().createParser(line, offset, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, first, MAPPER.getNodeFactory());
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw MismatchedInputException.from(p, JsonNode.class, "Trailing token (of type " + trailing
                        + ") found after value (bound as `" + JsonNode.class.getName()
                        + "`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`");
            }
            return root;
        }
    }

    /** The node for the value starting at {@code token}, as Jackson's JsonNodeDeserializer builds it. */
    private static JsonNode value(JsonParser p, JsonToken token, JsonNodeFactory f) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = f.objectNode();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    object.replace(name, value(p, p.nextToken(), f)); // a repeated key: the last one wins
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = f.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t, f));
                }
                return array;
            }
            case VALUE_STRING:
                return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> f.numberNode(p.getIntValue());
                    case LONG -> f.numberNode(p.getLongValue());
                    default -> f.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return switch (p.getNumberType()) {
                    case BIG_DECIMAL -> f.numberNode(p.getDecimalValue());
                    case FLOAT -> f.numberNode(p.getFloatValue());
                    default -> f.numberNode(p.getDoubleValue());
                };
            case VALUE_TRUE:
                return f.booleanNode(true);
            case VALUE_FALSE:
                return f.booleanNode(false);
            case VALUE_NULL:
                return f.nullNode();
            default:
                throw MismatchedInputException.from(p, JsonNode.class, "unexpected token " + token);
        }
    }

    private static QmpMessage classify(JsonNode json, String raw) {
        if (json.has("event")) {
            return event(json, raw);
        }
        if (json.has("return")) {
            return new QmpReturn(json.get("return"), json.get("id"), json, raw);
        }
        if (json.has("error")) {
            JsonNode error = json.get("error");
            if (!error.isObject() || !error.path("class").isTextual()) {
                throw bad("error reply without error.class", raw);
            }
            return new QmpError(error.get("class").asText(), error.path("desc").asText(""),
                    json.get("id"), json, raw);
        }
        if (json.has("QMP")) {
            return greeting(json, raw);
        }
        throw bad("message is neither greeting, reply nor event", raw);
    }

    private static QmpEvent event(JsonNode json, String raw) {
        JsonNode name = json.get("event");
        if (!name.isTextual()) {
            throw bad("event name is not a string", raw);
        }
        JsonNode data = json.has("data") ? json.get("data") : MissingNode.getInstance();
        JsonNode ts = json.path("timestamp");
        long seconds = ts.path("seconds").asLong(-1);
        long micros = ts.path("microseconds").asLong(-1);
        return new QmpEvent(name.asText(), data, seconds, micros, json, raw);
    }

    private static QmpGreeting greeting(JsonNode json, String raw) {
        JsonNode qmp = json.get("QMP");
        JsonNode version = qmp.path("version");
        JsonNode qemu = version.path("qemu");
        if (!qmp.isObject() || !qemu.path("major").canConvertToInt() || !qmp.path("capabilities").isArray()) {
            throw bad("greeting lacks QMP.version.qemu or QMP.capabilities", raw);
        }
        List<String> caps = new ArrayList<>();
        qmp.get("capabilities").forEach(c -> caps.add(c.asText()));
        QmpVersion v = new QmpVersion(qemu.path("major").asInt(), qemu.path("minor").asInt(),
                qemu.path("micro").asInt(), version.path("package").asText(""));
        return new QmpGreeting(v, caps, json, raw);
    }

    private static QmpProtocolException bad(String what, String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        return new QmpProtocolException(what + ": " + QmpProtocolException.quote(bytes, 0, bytes.length));
    }
}
