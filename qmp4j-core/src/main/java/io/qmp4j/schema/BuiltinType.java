package io.qmp4j.schema;

/**
 * A builtin type ({@code meta-type: builtin}): {@code str}, {@code int}, {@code number},
 * {@code bool}, {@code null} or {@code any}. Release builds map every sized integer type
 * ({@code uint8}, {@code size} …) to {@code int}.
 *
 * @param name     the builtin's name
 * @param jsonType the JSON type of its values ({@link JsonType#VALUE} for {@code any})
 */
public record BuiltinType(String name, JsonType jsonType) implements SchemaType {
}
