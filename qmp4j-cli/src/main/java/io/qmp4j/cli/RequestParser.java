package io.qmp4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.message.QmpJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one line of shell input into a QMP command name and its arguments. Two forms are
 * accepted:
 *
 * <ul>
 *   <li>raw QMP, a JSON object: {@code {"execute": "stop"}} or
 *       {@code {"execute": "human-monitor-command", "arguments": {"command-line": "info status"}}};
 *       an {@code id} member is accepted and ignored, because the connection matches replies by
 *       order;</li>
 *   <li>qmp-shell style: {@code command key=value key2.sub=value}. A value is taken as JSON when
 *       it is valid JSON ({@code 1}, {@code true}, {@code null}, {@code "a b"}, {@code [1,2]},
 *       {@code {"x":1}}), as the text between single quotes when quoted so ({@code 'a b'}), and as
 *       a plain string otherwise. Dotted keys build nested objects: {@code a.b=1 a.c=2} gives
 *       {@code {"a":{"b":1,"c":2}}}. Whitespace inside quotes or brackets does not split.</li>
 * </ul>
 */
public final class RequestParser {

    /**
     * A parsed line: the command to execute and its arguments.
     *
     * @param command   the QMP command name, for example {@code query-status}
     * @param arguments the arguments object, or {@code null} when the line gave none
     */
    public record Request(String command, ObjectNode arguments) {
        /** Checks that the command is present. */
        public Request {
            Objects.requireNonNull(command, "command");
        }
    }

    private RequestParser() {
    }

    /**
     * Parses one non-blank line.
     *
     * @throws IllegalArgumentException with a message for the user when the line is malformed
     */
    public static Request parse(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty input: type a command, for example query-status");
        }
        return text.startsWith("{") ? parseJson(text) : parseKeyValues(text);
    }

    /** Parses the raw-QMP form, {@code {"execute": NAME, "arguments": {...}}}. */
    static Request parseJson(String text) {
        JsonNode json;
        try {
            json = QmpJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (json.has("exec-oob")) {
            throw new IllegalArgumentException("exec-oob is not supported here; use \"execute\"");
        }
        JsonNode execute = json.get("execute");
        if (execute == null || !execute.isTextual() || execute.asText().isBlank()) {
            throw new IllegalArgumentException("a raw QMP command needs a string \"execute\" member,"
                    + " like {\"execute\": \"query-status\"}");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("execute") && !field.equals("arguments") && !field.equals("id")) {
                throw new IllegalArgumentException("unexpected member \"" + field
                        + "\": a command has only \"execute\", \"arguments\" and \"id\"");
            }
        }
        JsonNode arguments = json.get("arguments");
        if (arguments != null && !arguments.isObject()) {
            throw new IllegalArgumentException("\"arguments\" must be a JSON object, got "
                    + arguments.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        return new Request(execute.asText(), (ObjectNode) arguments);
    }

    /** Parses the qmp-shell form, {@code command key=value ...}. */
    static Request parseKeyValues(String text) {
        List<String> tokens = tokenize(text);
        String command = tokens.get(0);
        if (command.contains("=") || command.startsWith("\"") || command.startsWith("'")) {
            throw new IllegalArgumentException("the line must start with a command name, got '" + command + "'");
        }
        if (tokens.size() == 1) {
            return new Request(command, null);
        }
        ObjectNode arguments = QmpJson.mapper().createObjectNode();
        Set<JsonNode> built = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String token : tokens.subList(1, tokens.size())) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + token + "'");
            }
            put(arguments, token.substring(0, eq), value(token.substring(eq + 1)), built);
        }
        return new Request(command, arguments);
    }

    /**
     * Sets {@code dottedKey} in {@code root}, creating intermediate objects and remembering them in
     * {@code built}; an object given whole as a value ({@code a={"x":1}}) is never extended.
     */
    private static void put(ObjectNode root, String dottedKey, JsonNode value, Set<JsonNode> built) {
        String[] parts = dottedKey.split("\\.", -1);
        ObjectNode target = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new IllegalArgumentException("key '" + dottedKey + "' has an empty part");
            }
            String path = String.join(".", Arrays.copyOfRange(parts, 0, i + 1));
            JsonNode existing = target.get(part);
            if (i == parts.length - 1) {
                if (existing != null) {
                    throw new IllegalArgumentException("key '" + path + "' is given twice");
                }
                target.set(part, value);
            } else if (existing == null) {
                target = target.putObject(part);
                built.add(target);
            } else if (built.contains(existing)) {
                target = (ObjectNode) existing;
            } else {
                throw new IllegalArgumentException("key '" + dottedKey + "' conflicts with '" + path
                        + "', which is already set to " + existing);
            }
        }
    }

    /** Parses one value: JSON if it is valid JSON, the inside of single quotes, else the text. */
    static JsonNode value(String text) {
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return QmpJson.mapper().getNodeFactory().textNode(text.substring(1, text.length() - 1));
        }
        if (!text.isEmpty()) {
            try {
                JsonNode json = QmpJson.mapper().readTree(text);
                if (json != null && !json.isMissingNode()) {
                    return json;
                }
            } catch (JsonProcessingException e) {
                // not JSON: a plain string, like qmp-shell's device=virtio-net-pci
            }
        }
        return QmpJson.mapper().getNodeFactory().textNode(text);
    }

    /**
     * Splits on whitespace outside quotes and brackets; quotes and brackets stay in the tokens.
     *
     * @throws IllegalArgumentException on an unterminated quote or unbalanced brackets
     */
    static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current.append(c);
            } else if (c == '{' || c == '[') {
                depth++;
                current.append(c);
            } else if (c == '}' || c == ']') {
                if (--depth < 0) {
                    throw new IllegalArgumentException("unbalanced '" + c + "' in: " + text);
                }
                current.append(c);
            } else if (Character.isWhitespace(c) && depth == 0) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote in: " + text);
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unclosed bracket in: " + text);
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
