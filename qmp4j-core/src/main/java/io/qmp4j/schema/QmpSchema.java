package io.qmp4j.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.QmpValidationException;
import io.qmp4j.internal.schema.ArgumentValidator;
import io.qmp4j.internal.schema.TypeDescriptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * QEMU's QMP schema as {@code query-qmp-schema} returns it: commands, events and the types they
 * use. Immutable and thread-safe. Get the connected QEMU's with
 * {@link io.qmp4j.QmpConnection#schema()}, or parse a captured one with {@link #parse(JsonNode)}.
 *
 * <pre>{@code
 * QmpSchema schema = qmp.schema();
 * if (schema.supports("blockdev-reopen")) { ... }
 * schema.validate("blockdev-add", args);    // QmpValidationException naming the bad member
 * }</pre>
 *
 * <p>The model follows QEMU's {@code qapi/introspect.json} ({@code SchemaInfo}). Names of
 * non-builtin types are masked as numbers in release builds and differ between QEMU builds: look
 * types up through commands, events and members, never by a remembered number.
 */
public final class QmpSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, SchemaCommand> commands;
    private final Map<String, SchemaEvent> events;
    private final Map<String, SchemaType> types;

    private QmpSchema(Map<String, SchemaCommand> commands, Map<String, SchemaEvent> events,
            Map<String, SchemaType> types) {
        this.commands = Collections.unmodifiableMap(commands);
        this.events = Collections.unmodifiableMap(events);
        this.types = Collections.unmodifiableMap(types);
    }

    /**
     * Parses the {@code return} value of {@code query-qmp-schema}: a JSON array of
     * {@code SchemaInfo} objects.
     *
     * @throws IllegalArgumentException when it is not such an array, an entry lacks a field, or a
     *                                  type name is used but never defined (the message names the entry)
     */
    public static QmpSchema parse(JsonNode schemaInfoList) {
        Objects.requireNonNull(schemaInfoList, "schemaInfoList");
        if (!schemaInfoList.isArray()) {
            throw new IllegalArgumentException("a QMP schema is a JSON array of SchemaInfo objects, got "
                    + schemaInfoList.getNodeType());
        }
        Map<String, SchemaCommand> commands = new LinkedHashMap<>();
        Map<String, SchemaEvent> events = new LinkedHashMap<>();
        Map<String, SchemaType> types = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode e : schemaInfoList) {
            try {
                add(e, commands, events, types);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("schema entry " + index + " " + shorten(e) + ": " + ex.getMessage(), ex);
            }
            index++;
        }
        QmpSchema schema = new QmpSchema(commands, events, types);
        schema.checkReferences();
        return schema;
    }

    /** Parses the JSON text of a {@code query-qmp-schema} return value; see {@link #parse(JsonNode)}. */
    public static QmpSchema parse(String json) {
        try {
            return parse(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the QMP schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void add(JsonNode e, Map<String, SchemaCommand> commands, Map<String, SchemaEvent> events,
            Map<String, SchemaType> types) {
        String name = text(e, "name");
        String meta = text(e, "meta-type");
        switch (meta) {
            case "command" -> commands.put(name, new SchemaCommand(name, text(e, "arg-type"), text(e, "ret-type"),
                    e.path("allow-oob").asBoolean(false), strings(e.path("features"))));
            case "event" -> events.put(name, new SchemaEvent(name, text(e, "arg-type"), strings(e.path("features"))));
            case "builtin" -> types.put(name, new BuiltinType(name, JsonType.fromWireName(text(e, "json-type"))));
            case "enum" -> types.put(name, new EnumType(name, strings(e.path("values"))));
            case "array" -> types.put(name, new ArrayType(name, text(e, "element-type")));
            case "alternate" -> types.put(name, new AlternateType(name, memberTypes(e.path("members"))));
            case "object" -> types.put(name, object(name, e));
            default -> throw new IllegalArgumentException("unknown meta-type '" + meta + "'");
        }
    }

    private static ObjectType object(String name, JsonNode e) {
        List<SchemaMember> members = new ArrayList<>();
        for (JsonNode m : e.path("members")) {
            members.add(new SchemaMember(text(m, "name"), text(m, "type"), m.has("default"), strings(m.path("features"))));
        }
        List<SchemaVariant> variants = new ArrayList<>();
        for (JsonNode v : e.path("variants")) {
            variants.add(new SchemaVariant(text(v, "case"), text(v, "type")));
        }
        String tag = e.hasNonNull("tag") ? e.get("tag").asText() : null;
        return new ObjectType(name, members, tag, variants, strings(e.path("features")));
    }

    private static List<String> memberTypes(JsonNode members) {
        List<String> out = new ArrayList<>();
        members.forEach(m -> out.add(text(m, "type")));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing string field '" + field + "'");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String shorten(JsonNode e) {
        String s = e.toString();
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private void checkReferences() {
        commands.values().forEach(c -> {
            requireDefined(c.argType(), "command " + c.name());
            requireDefined(c.retType(), "command " + c.name());
        });
        events.values().forEach(e -> requireDefined(e.argType(), "event " + e.name()));
        for (SchemaType t : types.values()) {
            String where = "type " + t.name();
            if (t instanceof ArrayType a) {
                requireDefined(a.elementType(), where);
            } else if (t instanceof AlternateType a) {
                a.members().forEach(m -> requireDefined(m, where));
            } else if (t instanceof ObjectType o) {
                o.members().forEach(m -> requireDefined(m.type(), where + " member " + m.name()));
                o.variants().forEach(v -> requireDefined(v.type(), where + " case " + v.tagValue()));
                if (o.isUnion() && o.member(o.tag()).isEmpty()) {
                    throw new IllegalArgumentException(where + ": tag '" + o.tag() + "' is not a member");
                }
            }
        }
    }

    private void requireDefined(String type, String where) {
        if (!types.containsKey(type)) {
            throw new IllegalArgumentException(where + " uses type '" + type + "', which the schema does not define");
        }
    }

    /** The commands, in schema order. */
    public Collection<SchemaCommand> commands() {
        return commands.values();
    }

    /** The events, in schema order. */
    public Collection<SchemaEvent> events() {
        return events.values();
    }

    /** The types, in schema order. */
    public Collection<SchemaType> types() {
        return types.values();
    }

    /** The command called {@code name}, if QEMU has it. */
    public Optional<SchemaCommand> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** The event called {@code name}, if QEMU has it. */
    public Optional<SchemaEvent> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    /** The type called {@code name} (a builtin name or a masked number), if defined. */
    public Optional<SchemaType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The argument type of {@code command}, if QEMU has the command. */
    public Optional<ObjectType> argumentsOf(String command) {
        return command(command).map(c -> (ObjectType) types.get(c.argType()));
    }

    /** The return type of {@code command}, if QEMU has the command. */
    public Optional<SchemaType> returnTypeOf(String command) {
        return command(command).map(c -> types.get(c.retType()));
    }

    /** The data type of {@code event}, if QEMU has the event. */
    public Optional<ObjectType> dataOf(String event) {
        return event(event).map(e -> (ObjectType) types.get(e.argType()));
    }

    /** Whether QEMU has {@code command}: feature detection across QEMU versions. */
    public boolean supports(String command) {
        return commands.containsKey(command);
    }

    /**
     * Whether QEMU has {@code command} and it takes an argument called {@code argument}, either a
     * base member or a member of one of its union branches. For example
     * {@code supports("blockdev-add", "size")} is true because the {@code null-co} branch has it.
     */
    public boolean supports(String command, String argument) {
        return argumentsOf(command).map(o -> o.member(argument).isPresent() || o.variants().stream()
                .anyMatch(v -> ((ObjectType) types.get(v.type())).member(argument).isPresent())).orElse(false);
    }

    /**
     * Checks {@code command} and its {@code arguments} the way QEMU would, without sending
     * anything: the command exists, every argument is known, required ones are present, and each
     * value has the JSON type, enum value or alternate branch the schema asks for, recursively.
     * {@code device_add} accepts any further argument (its device properties are not in the schema).
     *
     * @param command   the command name
     * @param arguments a JSON object, or {@code null} (or a missing node) for no arguments
     * @throws QmpValidationException at the first problem, naming its path ({@code arguments.node-name}),
     *                                what was expected and, for a near-miss name, what was probably meant
     */
    public void validate(String command, JsonNode arguments) {
        new ArgumentValidator(this).validate(command, arguments);
    }

    /**
     * A short human description of type {@code typeName}, since masked names mean nothing:
     * {@code str}, {@code int}, {@code array of str}, {@code enum (running, paused, ...)},
     * {@code object}, {@code str or object}.
     */
    public String describe(String typeName) {
        return TypeDescriptions.describe(this, typeName);
    }

    @Override
    public String toString() {
        return "QmpSchema[" + commands.size() + " commands, " + events.size() + " events, " + types.size() + " types]";
    }
}
