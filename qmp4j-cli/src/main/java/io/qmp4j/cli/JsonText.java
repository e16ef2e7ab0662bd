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

    private static String write(ObjectWriter writer, JsonNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write JSON", e); // a JsonNode is always writable
        }
    }
}
