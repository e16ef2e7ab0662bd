package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders one schema entity as text for people: a command's arguments and return type, an
 * event's data, a type's members or values. Nested objects are expanded inline, indented, up to
 * {@link #MAX_DEPTH} levels; a union's variants are listed under {@code when TAG=CASE:}.
 *
 * <pre>
 * command human-monitor-command
 * arguments:
 *   command-line  str
 *   cpu-index     int, optional
 * returns: str
 * </pre>
 */
final class SchemaText {
    /** How deep nested objects are expanded; deeper ones are named by their schema type. */
    static final int MAX_DEPTH = 3;

    private final RawSchemaHints schema;
    private final StringBuilder text = new StringBuilder();

    SchemaText(RawSchemaHints schema) {
        this.schema = schema;
    }

    /** The description of {@code entity}, without a trailing newline. */
    String describe(JsonNode entity) {
        String name = entity.path("name").asText();
        String meta = entity.path("meta-type").asText();
        switch (meta) {
            case "command":
                line(0, "command " + name + flags(entity));
                body(0, "arguments", entity.path("arg-type").asText());
                line(0, "returns: " + returns(entity.path("ret-type").asText()));
                break;
            case "event":
                line(0, "event " + name + flags(entity));
                body(0, "data", entity.path("arg-type").asText());
                break;
            case "enum":
                line(0, "type " + name + " (enum)" + flags(entity));
                List<String> values = new ArrayList<>();
                entity.path("values").forEach(v -> values.add(v.asText()));
                line(1, String.join(", ", values));
                break;
            case "object":
                line(0, "type " + name + " (object)" + flags(entity));
                objectMembers(1, entity, new HashSet<>());
                break;
            default:
                line(0, "type " + name + " (" + meta + "): " + schema.typeText(name) + flags(entity));
        }
        text.setLength(text.length() - 1);
        return text.toString();
    }

    private String returns(String typeName) {
        JsonNode t = schema.get(typeName);
        if (t != null && t.path("meta-type").asText().equals("object") && t.path("members").isEmpty()
                && !t.has("variants")) {
            return "{} (nothing)";
        }
        return describeType(typeName);
    }

    /** {@code str}, {@code [object]}, … plus the members of an object return, indented. */
    private String describeType(String typeName) {
        String shortText = schema.typeText(typeName);
        JsonNode object = schema.objectType(typeName);
        JsonNode array = schema.get(typeName);
        if (object == null && array != null && array.path("meta-type").asText().equals("array")) {
            object = schema.objectType(array.path("element-type").asText());
        }
        if (object == null) {
            return shortText;
        }
        int mark = text.length();
        objectMembers(1, object, new HashSet<>());
        String members = text.substring(mark);
        text.setLength(mark);
        return shortText + (members.isEmpty() ? "" : "\n" + members.stripTrailing());
    }

    private void body(int depth, String title, String typeName) {
        JsonNode object = schema.objectType(typeName);
        if (object == null || object.path("members").isEmpty() && !object.has("variants")) {
            line(depth, title + ": none");
            return;
        }
        line(depth, title + ":");
        objectMembers(depth + 1, object, new HashSet<>());
    }

    /** Lists {@code object}'s own members, then each group of variants sharing a type. */
    private void objectMembers(int depth, JsonNode object, Set<String> expanding) {
        if (!expanding.add(object.path("name").asText())) {
            return;
        }
        int width = 2;
        for (JsonNode m : object.path("members")) {
            width = Math.max(width, m.path("name").asText().length() + 2);
        }
        for (JsonNode m : object.path("members")) {
            member(depth, width, m, expanding);
        }
        String tag = object.path("tag").asText(null);
        Map<String, List<String>> casesByType = new LinkedHashMap<>();
        for (JsonNode v : object.path("variants")) {
            casesByType.computeIfAbsent(v.path("type").asText(), k -> new ArrayList<>()).add(v.path("case").asText());
        }
        casesByType.forEach((type, cases) -> {
            JsonNode variant = schema.get(type);
            if (variant != null && (!variant.path("members").isEmpty() || variant.has("variants"))) {
                line(depth, "when " + tag + "=" + String.join("|", cases) + ":");
                objectMembers(depth + 1, variant, expanding);
            }
        });
        expanding.remove(object.path("name").asText());
    }

    private void member(int depth, int width, JsonNode m, Set<String> expanding) {
        SchemaHints.Member member = schema.member(m);
        String name = member.name();
        StringBuilder l = new StringBuilder(name).append(" ".repeat(width - name.length())).append(member.type());
        if (member.optional()) {
            l.append(", optional");
        }
        if (m.has("features")) {
            l.append(flags(m));
        }
        line(depth, l.toString());
        JsonNode nested = schema.objectType(m.path("type").asText());
        if (nested != null) {
            if (depth >= MAX_DEPTH) {
                line(depth + 1, "(members: qmp4j schema " + nested.path("name").asText() + ")");
            } else {
                objectMembers(depth + 1, nested, expanding);
            }
        }
    }

    private static String flags(JsonNode entity) {
        List<String> flags = new ArrayList<>();
        entity.path("features").forEach(f -> flags.add(f.asText()));
        if (entity.path("allow-oob").asBoolean(false)) {
            flags.add("allow-oob");
        }
        return flags.isEmpty() ? "" : " [" + String.join(", ", flags) + "]";
    }

    private void line(int depth, String content) {
        text.append("  ".repeat(depth)).append(content).append('\n');
    }
}
