package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@link SchemaHints} over QEMU's raw {@code query-qmp-schema} reply (QEMU's "QAPI schema
 * introspection": an array of entities with a {@code meta-type} of {@code command},
 * {@code event}, {@code object}, {@code enum}, {@code array}, {@code alternate} or
 * {@code builtin}; type names are masked as numbers). Immutable and thread-safe once built.
 */
final class RawSchemaHints implements SchemaHints {
    private final Map<String, JsonNode> entities;
    private final SortedSet<String> commands;
    private final SortedSet<String> events;

    /**
     * Builds the hints from the schema array and the names {@code query-commands} returned;
     * with {@code available} null, every command in the schema counts as available.
     *
     * @throws IllegalArgumentException when {@code schema} is not an array of named entities
     */
    RawSchemaHints(JsonNode schema, Collection<String> available) {
        if (schema == null || !schema.isArray()) {
            throw new IllegalArgumentException("query-qmp-schema did not return an array");
        }
        Map<String, JsonNode> byName = new HashMap<>();
        SortedSet<String> commandNames = new TreeSet<>();
        SortedSet<String> eventNames = new TreeSet<>();
        for (JsonNode e : schema) {
            String name = e.path("name").asText(null);
            if (name == null) {
                throw new IllegalArgumentException("a query-qmp-schema entity has no name: " + e);
            }
            byName.put(name, e);
            String meta = e.path("meta-type").asText();
            if (meta.equals("command")) {
                commandNames.add(name);
            } else if (meta.equals("event")) {
                eventNames.add(name);
            }
        }
        if (available != null) {
            commandNames = new TreeSet<>(available);
        }
        this.entities = Map.copyOf(byName);
        this.commands = Collections.unmodifiableSortedSet(commandNames);
        this.events = Collections.unmodifiableSortedSet(eventNames);
    }

    /**
     * Caller thread: asks QEMU for {@code query-qmp-schema} and {@code query-commands}.
     *
     * @throws io.qmp4j.QmpException when either command fails
     */
    static RawSchemaHints load(QmpConnection qmp, Duration timeout) {
        JsonNode schema = qmp.execute("query-qmp-schema", null, timeout);
        return of(schema, qmp.execute("query-commands", null, timeout));
    }

    /** The hints from the replies of {@code query-qmp-schema} and {@code query-commands}. */
    static RawSchemaHints of(JsonNode schema, JsonNode queryCommands) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : queryCommands) {
            names.add(c.path("name").asText());
        }
        return new RawSchemaHints(schema, names);
    }

    @Override
    public SortedSet<String> commands() {
        return commands;
    }

    @Override
    public SortedSet<String> events() {
        return events;
    }

    @Override
    public List<Member> arguments(String command, List<String> path, JsonNode given) {
        Located at = locate(command, path, given);
        if (at == null) {
            return List.of();
        }
        List<Member> result = new ArrayList<>();
        for (JsonNode m : members(at.object(), at.given()).values()) {
            result.add(member(m));
        }
        return result;
    }

    @Override
    public List<String> values(String command, List<String> path, JsonNode given) {
        if (path.isEmpty()) {
            return List.of();
        }
        Located parent = locate(command, path.subList(0, path.size() - 1), given);
        if (parent == null) {
            return List.of();
        }
        JsonNode m = members(parent.object(), parent.given()).get(path.get(path.size() - 1));
        return m == null ? List.of() : closedValues(m.path("type").asText(), 0);
    }

    @Override
    public Optional<String> describe(String name) {
        return entity(name).map(e -> new SchemaText(this).describe(e));
    }

    @Override
    public Optional<JsonNode> entity(String name) {
        return Optional.ofNullable(entities.get(name));
    }

    /** The entity called {@code name}, or null. */
    JsonNode get(String name) {
        return entities.get(name);
    }

    /** An object entity reached by a path, and the part of the typed arguments at that place. */
    private record Located(JsonNode object, JsonNode given) {
    }

    private Located locate(String command, List<String> path, JsonNode given) {
        JsonNode cmd = entities.get(command);
        if (cmd == null || !cmd.path("meta-type").asText().equals("command")) {
            return null;
        }
        JsonNode object = objectType(cmd.path("arg-type").asText(null));
        JsonNode here = given;
        for (String part : path) {
            if (object == null) {
                return null;
            }
            JsonNode m = members(object, here).get(part);
            if (m == null) {
                return null;
            }
            object = objectType(m.path("type").asText(null));
            here = here == null ? null : here.get(part);
        }
        return object == null ? null : new Located(object, here);
    }

    /** The object entity {@code typeName} names, or an alternate's object branch; else null. */
    JsonNode objectType(String typeName) {
        JsonNode t = typeName == null ? null : entities.get(typeName);
        if (t == null) {
            return null;
        }
        switch (t.path("meta-type").asText()) {
            case "object":
                return t;
            case "alternate":
                for (JsonNode branch : t.path("members")) {
                    JsonNode o = entities.get(branch.path("type").asText());
                    if (o != null && o.path("meta-type").asText().equals("object")) {
                        return o;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * The members of {@code object} by name: its own, then its variants'. When the typed
     * arguments {@code given} set the union's tag, only that variant's members; else all.
     */
    LinkedHashMap<String, JsonNode> members(JsonNode object, JsonNode given) {
        LinkedHashMap<String, JsonNode> result = new LinkedHashMap<>();
        for (JsonNode m : object.path("members")) {
            result.put(m.path("name").asText(), m);
        }
        String tag = object.path("tag").asText(null);
        JsonNode tagValue = tag == null || given == null ? null : given.get(tag);
        for (JsonNode variant : object.path("variants")) {
            if (tagValue != null && tagValue.isTextual()
                    && !tagValue.asText().equals(variant.path("case").asText())) {
                continue;
            }
            JsonNode variantType = entities.get(variant.path("type").asText());
            if (variantType != null && variantType != object) {
                members(variantType, given).forEach(result::putIfAbsent);
            }
        }
        return result;
    }

    /** {@code m} as a {@link Member}. */
    Member member(JsonNode m) {
        return new Member(m.path("name").asText(), typeText(m.path("type").asText()), m.has("default"));
    }

    /** Enum values or {@code true}/{@code false} for {@code typeName}; alternates combine theirs. */
    private List<String> closedValues(String typeName, int depth) {
        JsonNode t = entities.get(typeName);
        if (t == null || depth > 2) {
            return List.of();
        }
        switch (t.path("meta-type").asText()) {
            case "enum":
                List<String> values = new ArrayList<>();
                t.path("values").forEach(v -> values.add(v.asText()));
                return values;
            case "builtin":
                return t.path("json-type").asText().equals("boolean") ? List.of("true", "false") : List.of();
            case "alternate":
                List<String> all = new ArrayList<>();
                t.path("members").forEach(b -> all.addAll(closedValues(b.path("type").asText(), depth + 1)));
                return all;
            default:
                return List.of();
        }
    }

    /**
     * A short text for the type {@code typeName}: {@code str}, {@code int}, {@code bool},
     * {@code [str]}, {@code object}, {@code enum(a|b|c)}, {@code str or object}.
     */
    String typeText(String typeName) {
        return typeText(typeName, 0);
    }

    private String typeText(String typeName, int depth) {
        JsonNode t = entities.get(Objects.requireNonNull(typeName, "typeName"));
        if (t == null || depth > 3) {
            return typeName;
        }
        switch (t.path("meta-type").asText()) {
            case "builtin":
                return typeName;
            case "array":
                return "[" + typeText(t.path("element-type").asText(), depth + 1) + "]";
            case "enum":
                List<String> values = closedValues(typeName, 0);
                return values.size() <= 8 ? "enum(" + String.join("|", values) + ")"
                        : "enum(" + String.join("|", values.subList(0, 6)) + "|… " + values.size() + " values)";
            case "alternate":
                List<String> branches = new ArrayList<>();
                t.path("members").forEach(b -> branches.add(typeText(b.path("type").asText(), depth + 1)));
                return String.join(" or ", branches);
            default:
                return t.path("meta-type").asText();
        }
    }
}
