package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/**
 * One {@code --where key=value} condition on an event's {@code data}: the member at the dotted
 * path {@code key} equals {@code value}. The value is compared as JSON when it parses as JSON
 * ({@code --where running=false}, {@code --where n=3}) and as text otherwise
 * ({@code --where device=nic1}); {@code --where n='3'} compares the text {@code 3}, which also
 * matches a number 3.
 *
 * @param path     the dotted path into {@code data}, for example {@code device} or {@code job.id}
 * @param expected the value parsed as the shell parses {@code key=value}
 */
record DataCondition(String path, JsonNode expected) implements Predicate<JsonNode> {

    /**
     * Parses {@code key=value}.
     *
     * @throws IllegalArgumentException when there is no {@code =} or the key is empty
     */
    static DataCondition parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value (a member of the event's data), got '" + text + "'");
        }
        String key = text.substring(0, eq);
        for (String part : key.split("\\.", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("key '" + key + "' has an empty part");
            }
        }
        return new DataCondition(key, RequestParser.value(text.substring(eq + 1)));
    }

    /** Whether {@code data} has {@link #expected()} at {@link #path()}. */
    @Override
    public boolean test(JsonNode data) {
        JsonNode node = data;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null) {
            return false;
        }
        if (node.equals(expected)) {
            return true;
        }
        return expected.isTextual() && node.isValueNode() && node.asText().equals(expected.asText());
    }

    @Override
    public String toString() {
        return path + "=" + JsonText.compact(expected);
    }
}
