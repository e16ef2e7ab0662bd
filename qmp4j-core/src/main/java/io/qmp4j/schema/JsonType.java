package io.qmp4j.schema;

/** The JSON type of a value, as introspection's {@code JSONType} names it. */
public enum JsonType {
    /** A JSON string. */
    STRING("string"),
    /** A JSON number without fraction or exponent (QAPI's integer types, all masked as {@code int}). */
    INT("int"),
    /** Any JSON number. */
    NUMBER("number"),
    /** {@code true} or {@code false}. */
    BOOLEAN("boolean"),
    /** JSON {@code null}. */
    NULL("null"),
    /** A JSON object. */
    OBJECT("object"),
    /** A JSON array. */
    ARRAY("array"),
    /** Any JSON value (QAPI's {@code any}). */
    VALUE("value");

    private final String wireName;

    JsonType(String wireName) {
        this.wireName = wireName;
    }

    /** The name introspection uses, for example {@code boolean}. */
    public String wireName() {
        return wireName;
    }

    /** The constant for introspection's {@code json-type} name. */
    public static JsonType fromWireName(String name) {
        for (JsonType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown json-type '" + name + "'");
    }
}
