package io.qmp4j.api.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.QmpException;
import io.qmp4j.schema.QmpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * JSON to and from the generated types: members QEMU adds later are ignored, absent optional
 * members are left out of requests. Used by generated code only. Thread-safe.
 */
public final class ApiCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();
    private static volatile QmpSchema bundled;

    private ApiCodec() {
    }

    /** The Jackson type of {@code type}. */
    public static JavaType type(Class<?> type) {
        return MAPPER.getTypeFactory().constructType(type);
    }

    /** The Jackson type of a list of {@code element}. */
    public static JavaType listOf(JavaType element) {
        return MAPPER.getTypeFactory().constructCollectionType(List.class, element);
    }

    /**
     * Reads a reply's {@code return} value as {@code type}.
     *
     * @throws QmpException when the value does not fit the generated type (QEMU's schema differs)
     */
    public static <T> T decode(JsonNode value, JavaType type) {
        try {
            return MAPPER.treeToValue(value, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new QmpException("QEMU's reply does not fit " + type.toCanonical() + ": " + e.getMessage(), e);
        }
    }

    /** A generated value as a JSON tree, for sending. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(Objects.requireNonNull(value, "arguments"));
    }

    /** A new arguments object. */
    public static Args args() {
        return new Args();
    }

    /** The schema bundled with the API (the one it was generated from), parsed on first use. */
    public static QmpSchema bundledSchema() {
        QmpSchema s = bundled;
        if (s == null) {
            try (InputStream in = ApiCodec.class.getResourceAsStream("qmp-schema.json")) {
                if (in == null) {
                    throw new IllegalStateException("qmp-schema.json is missing from the qmp4j-api jar");
                }
                s = QmpSchema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bundled = s;
        }
        return s;
    }

    /** Builds a command's arguments object, leaving out absent optional arguments. */
    public static final class Args {
        private final ObjectNode node = MAPPER.createObjectNode();

        private Args() {
        }

        /**
         * Adds a required argument.
         *
         * @throws NullPointerException when {@code value} is null
         */
        public Args required(String name, Object value) {
            node.set(name, MAPPER.valueToTree(Objects.requireNonNull(value, () -> "argument '" + name + "' is required")));
            return this;
        }

        /** Adds an optional argument unless {@code value} is null. */
        public Args optional(String name, Object value) {
            if (value != null) {
                node.set(name, MAPPER.valueToTree(value));
            }
            return this;
        }

        /** Adds every entry of {@code arguments} (string keys) unless it is null: arguments the schema does not list. */
        public Args extra(java.util.Map<String, ?> arguments) {
            if (arguments != null) {
                arguments.forEach((k, v) -> node.set(k, MAPPER.valueToTree(v)));
            }
            return this;
        }

        /** The arguments object. */
        public ObjectNode build() {
            return node;
        }
    }
}
