package io.qmp4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.qmp4j.message.QmpJson;
import java.io.UncheckedIOException;

/**
 * Writes JSON the way the command line prints it: compact on one line (for {@code jq} and
 * scripts), or pretty with two-space indentation in the style of {@code jq .}.
 */
final class JsonText {
    private static final ObjectWriter COMPACT = QmpJson.mapper().writer();
    private static final ObjectWriter PRETTY = QmpJson.mapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private JsonText() {
    }

    /** {@code node} as compact JSON on one line. */
    static String compact(JsonNode node) {
        return write(COMPACT, node);
    }

    /** {@code node} as indented JSON, possibly on several lines, without a trailing newline. */
    static String pretty(JsonNode node) {
        return write(PRETTY, node);
    }

    /**
     * {@code node} laid out as {@link #pretty(JsonNode)} (or {@link #compact(JsonNode)} when not
     * {@code pretty}) with ANSI colours in the style of {@code jq}: keys bold blue, strings
     * green, numbers cyan, {@code true}/{@code false}/{@code null} yellow. Without the escape
     * codes the text equals the uncoloured form.
     */
    static String colored(JsonNode node, boolean pretty) {
        StringBuilder text = new StringBuilder();
        color(node, pretty, 0, text);
        return text.toString();
    }

    /** ANSI escape codes used by {@link #colored(JsonNode, boolean)}. */
    static final String KEY = "\u001b[1;34m";
    static final String STRING = "\u001b[32m";
    static final String NUMBER = "\u001b[36m";
    static final String LITERAL = "\u001b[33m";
    static final String RESET = "\u001b[0m";

    private static void color(JsonNode node, boolean pretty, int depth, StringBuilder text) {
        if (node.isObject() || node.isArray()) {
            boolean object = node.isObject();
            text.append(object ? '{' : '[');
            if (node.isEmpty()) {
                text.append(object ? '}' : ']');
                return;
            }
            String indent = pretty ? "\n" + "  ".repeat(depth + 1) : "";
            boolean first = true;
            for (var it = node.fields(); object && it.hasNext(); ) {
                var e = it.next();
                text.append(first ? "" : ",").append(indent).append(KEY)
                        .append(compact(QmpJson.mapper().getNodeFactory().textNode(e.getKey())))
                        .append(RESET).append(pretty ? ": " : ":");
                color(e.getValue(), pretty, depth + 1, text);
                first = false;
            }
            for (int i = 0; !object && i < node.size(); i++) {
                text.append(i == 0 ? "" : ",").append(indent);
                color(node.get(i), pretty, depth + 1, text);
            }
            text.append(pretty ? "\n" + "  ".repeat(depth) : "").append(object ? '}' : ']');
            return;
        }
        String code = node.isTextual() ? STRING : node.isNumber() ? NUMBER : LITERAL;
        text.append(code).append(compact(node)).append(RESET);
    }

    private static String write(ObjectWriter writer, JsonNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON", e); // a JsonNode is always writable
        }
    }
}
