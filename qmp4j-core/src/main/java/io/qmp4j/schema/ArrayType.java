package io.qmp4j.schema;

/**
 * An array ({@code meta-type: array}) whose elements are all of one type.
 *
 * @param name        the type name, {@code [ELEMENT]} (for example {@code [int]} or {@code [177]})
 * @param elementType the name of the element type
 */
public record ArrayType(String name, String elementType) implements SchemaType {
    @Override
    public JsonType jsonType() {
        return JsonType.ARRAY;
    }
}
