package io.qmp4j.schema;

import java.util.List;

/**
 * An enumeration ({@code meta-type: enum}): a JSON string that must be one of {@link #values()}.
 *
 * @param name   the masked type name
 * @param values the allowed strings, in schema order
 */
public record EnumType(String name, List<String> values) implements SchemaType {
    /** Copies the values. */
    public EnumType {
        values = List.copyOf(values);
    }

    @Override
    public JsonType jsonType() {
        return JsonType.STRING;
    }
}
