package io.qmp4j.codegen;

import io.qmp4j.schema.AlternateType;
import io.qmp4j.schema.ArrayType;
import io.qmp4j.schema.BuiltinType;
import io.qmp4j.schema.EnumType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.schema.SchemaEvent;
import io.qmp4j.schema.SchemaMember;
import io.qmp4j.schema.SchemaType;
import io.qmp4j.schema.SchemaVariant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Gives every masked object, enum, union and alternate type a Java name taken from where it is
 * first met, breadth first: command returns (in schema order) and event data with their members
 * level by level, then command arguments likewise, so a type gets the name of its shallowest use
 * on the reply side, else on the argument side.
 * {@code query-X} returns {@code XInfo}; other commands {@code CommandResult}; a member's type is
 * its owner's name plus the member's name; a boxed union argument is {@code CommandArguments}.
 * Deterministic for a given schema.
 */
final class TypeNamer {
    /** Names a generated type must not take: java.lang and java.util types the sources use, and the API's own. */
    static final Set<String> RESERVED = Set.of("String", "Long", "Boolean", "Double", "Object", "Void", "List",
            "Map", "Override", "Deprecated", "Record", "Enum", "Class", "Integer", "Number", "Builder", "Unknown",
            "JsonNode", "QemuApi", "QemuEvent", "EventTypes", "TypedEvents", "Objects", "Optional", "Math");

    private final QmpSchema schema;
    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>(RESERVED);
    private final Deque<String[]> queue = new ArrayDeque<>();

    TypeNamer(QmpSchema schema) {
        this.schema = schema;
    }

    /** Names every type reachable from the schema's commands and events. */
    void nameAll(int maxPlainOptionals) {
        for (SchemaCommand c : schema.commands()) {
            String base = c.name().startsWith("query-") ? JavaNames.pascal(c.name().substring(6)) + "Info"
                    : JavaNames.pascal(c.name()) + "Result";
            SchemaType ret = schema.type(c.retType()).orElseThrow();
            if (!(ret instanceof ObjectType o && o.members().isEmpty() && !o.isUnion())) { // empty: void
                name(c.retType(), base, "the return value of " + c.name());
            }
        }
        for (SchemaEvent e : schema.events()) {
            for (SchemaMember m : object(e.argType()).members()) {
                name(m.type(), JavaNames.pascal(e.name()) + JavaNames.pascal(m.name()), "event " + e.name() + " member " + m.name());
            }
        }
        drain(); // replies and events first: those are the types users read most
        for (SchemaCommand c : schema.commands()) {
            ObjectType args = object(c.argType());
            String base = JavaNames.pascal(c.name());
            if (args.isUnion()) {
                name(args.name(), base + "Arguments", "the arguments of " + c.name());
            } else {
                String owner = optionalCount(args) > maxPlainOptionals ? base + "Arguments" : base;
                for (SchemaMember m : args.members()) {
                    name(m.type(), owner + JavaNames.pascal(m.name()), c.name() + " argument " + m.name());
                }
            }
        }
        drain();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            String[] next = queue.removeFirst();
            assign(next[0], next[1], next[2]);
        }
    }

    static int optionalCount(ObjectType o) {
        return (int) o.members().stream().filter(SchemaMember::optional).count();
    }

    /** Reserves {@code name} (for example an arguments record) and returns it, made unique. */
    String reserve(String name) {
        String n = name;
        for (int i = 2; !used.add(n); i++) {
            n = name + i;
        }
        return n;
    }

    private void name(String typeName, String suggested, String origin) {
        queue.addLast(new String[] {typeName, suggested, origin});
    }

    /** Names one type unless it has a name, and queues its members' types. */
    private void assign(String typeName, String suggested, String origin) {
        SchemaType t = schema.type(typeName).orElseThrow();
        if (t instanceof BuiltinType || names.containsKey(typeName)) {
            return;
        }
        if (t instanceof ArrayType a) {
            assign(a.elementType(), suggested, origin);
            return;
        }
        String javaName = reserve(suggested);
        names.put(typeName, javaName);
        origins.put(typeName, origin);
        if (t instanceof ObjectType o) {
            for (SchemaMember m : o.members()) {
                name(m.type(), javaName + JavaNames.pascal(m.name()), origin + "." + m.name());
            }
            for (SchemaVariant v : o.variants()) {
                for (SchemaMember m : object(v.type()).members()) {
                    name(m.type(), javaName + JavaNames.pascal(m.name()), origin + "." + m.name());
                }
            }
        } else if (t instanceof AlternateType a) {
            for (String member : a.members()) {
                name(member, javaName + "Value", origin);
            }
        } else if (!(t instanceof EnumType)) {
            throw new IllegalStateException("unexpected type " + t);
        }
    }

    ObjectType object(String typeName) {
        return (ObjectType) schema.type(typeName).orElseThrow();
    }

    /** The Java name of a named (masked) type. */
    String nameOf(String typeName) {
        String n = names.get(typeName);
        if (n == null) {
            throw new IllegalStateException("type " + typeName + " was never named");
        }
        return n;
    }

    /** Where the type was first met, for its Javadoc. */
    String originOf(String typeName) {
        return origins.get(typeName);
    }

    /** The named types, masked name → Java name, in naming order. */
    Map<String, String> names() {
        return names;
    }
}
