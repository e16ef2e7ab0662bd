package io.qmp4j.schema;

/**
 * One type of the introspection schema: the {@code SchemaInfo} entries whose {@code meta-type} is
 * {@code builtin}, {@code enum}, {@code array}, {@code object} or {@code alternate}.
 */
public sealed interface SchemaType permits BuiltinType, EnumType, ArrayType, ObjectType, AlternateType {
    /** The type's name: a builtin's real name ({@code str}, {@code int}), else the masked number. */
    String name();

    /** The JSON type a value of this type has on the wire; {@code null} for an alternate (it has several). */
    JsonType jsonType();
}
