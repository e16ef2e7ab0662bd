package io.qmp4j.internal.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpValidationException;
import io.qmp4j.QmpValidationException.Kind;
import io.qmp4j.schema.AlternateType;
import io.qmp4j.schema.ArrayType;
import io.qmp4j.schema.BuiltinType;
import io.qmp4j.schema.EnumType;
import io.qmp4j.schema.JsonType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.schema.SchemaMember;
import io.qmp4j.schema.SchemaType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a command and its arguments against a {@link QmpSchema} as QEMU's QObject input visitor
 * would, and reports the first mismatch as a {@link QmpValidationException}. One instance per
 * call; caller thread.
 */
public final class ArgumentValidator {
    /**
     * Commands whose arguments may have members the schema does not list: {@code device_add}
     * passes every further argument to the device as a property ({@code 'gen': false} in QAPI).
     */
    static final Set<String> OPEN_COMMANDS = Set.of("device_add");

    private static final int MAX_SHOWN_CHARS = 40;

    private final QmpSchema schema;
    private String command;

    /** A validator for {@code schema}. */
    public ArgumentValidator(QmpSchema schema) {
        this.schema = schema;
    }

    /** Validates; see {@link QmpSchema#validate(String, JsonNode)}. */
    public void validate(String commandName, JsonNode arguments) {
        this.command = commandName;
        SchemaCommand c = schema.command(commandName).orElse(null);
        if (c == null) {
            throw new QmpValidationException(commandName, Kind.UNKNOWN_COMMAND, "execute", "unknown command", null,
                    null, NameSuggestions.closest(commandName, names()));
        }
        JsonNode args = arguments == null || arguments.isMissingNode() ? null : arguments;
        if (args != null && !args.isObject()) {
            throw wrongType("arguments", "object", args);
        }
        ObjectType type = (ObjectType) type(c.argType());
        checkObject(type, args == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : args,
                "arguments", OPEN_COMMANDS.contains(commandName));
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        schema.commands().forEach(c -> names.add(c.name()));
        return names;
    }

    private SchemaType type(String name) {
        return schema.type(name).orElseThrow();
    }

    private void checkValue(String typeName, JsonNode v, String path) {
        SchemaType t = type(typeName);
        if (t instanceof BuiltinType b) {
            if (!hasJsonType(b.jsonType(), v, true)) {
                throw wrongType(path, b.name(), v);
            }
        } else if (t instanceof EnumType e) {
            if (!v.isTextual()) {
                throw wrongType(path, schema.describe(typeName), v);
            }
            if (!e.values().contains(v.asText())) {
                throw new QmpValidationException(command, Kind.BAD_ENUM_VALUE, path, "bad enum value",
                        "one of " + TypeDescriptions.list(e.values()), show(v),
                        NameSuggestions.closest(v.asText(), e.values()));
            }
        } else if (t instanceof ArrayType a) {
            if (!v.isArray()) {
                throw wrongType(path, schema.describe(typeName), v);
            }
            for (int i = 0; i < v.size(); i++) {
                checkValue(a.elementType(), v.get(i), path + "[" + i + "]");
            }
        } else if (t instanceof ObjectType o) {
            if (!v.isObject()) {
                throw wrongType(path, "object", v);
            }
            checkObject(o, v, path, false);
        } else {
            checkAlternate((AlternateType) t, v, path);
        }
    }

    private void checkAlternate(AlternateType alt, JsonNode v, String path) {
        for (String member : alt.members()) {
            SchemaType t = type(member);
            if (hasJsonType(t.jsonType(), v, false)) {
                checkValue(member, v, path);
                return;
            }
        }
        throw new QmpValidationException(command, Kind.NO_ALTERNATE_BRANCH, path, "no alternate branch matches",
                schema.describe(alt.name()), show(v), null);
    }

    /** With {@code exact} false an int branch takes any number, as QEMU picks alternate branches by QType. */
    private static boolean hasJsonType(JsonType type, JsonNode v, boolean exact) {
        return switch (type) {
            case STRING -> v.isTextual();
            case INT -> exact ? v.isIntegralNumber() : v.isNumber();
            case NUMBER -> v.isNumber();
            case BOOLEAN -> v.isBoolean();
            case NULL -> v.isNull();
            case OBJECT -> v.isObject();
            case ARRAY -> v.isArray();
            case VALUE -> true;
        };
    }

    private void checkObject(ObjectType o, JsonNode v, String path, boolean open) {
        boolean top = path.equals("arguments");
        Map<String, SchemaMember> known = new LinkedHashMap<>();
        o.members().forEach(m -> known.put(m.name(), m));
        JsonNode tag = o.isUnion() ? v.get(o.tag()) : null;
        if (tag != null) {
            checkValue(o.member(o.tag()).orElseThrow().type(), tag, path + "." + o.tag());
            o.variant(tag.asText()).ifPresent(variant -> addMembers(known, variant.type()));
        } else if (o.isUnion()) {
            o.variants().forEach(variant -> addMembers(known, variant.type()));
        }
        if (!open) {
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!known.containsKey(field)) {
                    List<String> names = new ArrayList<>(known.keySet());
                    throw new QmpValidationException(command, Kind.UNKNOWN_ARGUMENT, path + "." + field,
                            top ? "unknown argument" : "unknown member",
                            names.isEmpty() ? "none" : "one of " + TypeDescriptions.list(names), null,
                            NameSuggestions.closest(field, names));
                }
            }
        }
        for (SchemaMember m : known.values()) {
            boolean inBranch = tag != null || !o.isUnion() || o.member(m.name()).isPresent();
            if (!m.optional() && inBranch && !v.has(m.name())) {
                throw new QmpValidationException(command, Kind.MISSING_ARGUMENT, path + "." + m.name(),
                        top ? "missing required argument" : "missing required member", schema.describe(m.type()),
                        null, null);
            }
        }
        for (SchemaMember m : known.values()) {
            JsonNode value = v.get(m.name());
            if (value != null && !(tag != null && m.name().equals(o.tag()))) {
                checkValue(m.type(), value, path + "." + m.name());
            }
        }
    }

    private void addMembers(Map<String, SchemaMember> known, String objectType) {
        ((ObjectType) type(objectType)).members().forEach(m -> known.putIfAbsent(m.name(), m));
    }

    private QmpValidationException wrongType(String path, String expected, JsonNode v) {
        return new QmpValidationException(command, Kind.WRONG_TYPE, path, "wrong type", expected, show(v), null);
    }

    /** The value's JSON type, and the value itself when it is a short scalar. */
    static String show(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> {
                String s = v.asText();
                yield "string '" + (s.length() <= MAX_SHOWN_CHARS ? s : s.substring(0, MAX_SHOWN_CHARS) + "...") + "'";
            }
            case NUMBER -> "number " + v.asText();
            case BOOLEAN -> "boolean " + v.asText();
            case NULL -> "null";
            case OBJECT -> "object";
            case ARRAY -> "array";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
