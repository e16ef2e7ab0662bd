package io.qmp4j.internal.schema;

import io.qmp4j.schema.AlternateType;
import io.qmp4j.schema.ArrayType;
import io.qmp4j.schema.BuiltinType;
import io.qmp4j.schema.EnumType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaType;
import java.util.List;
import java.util.stream.Collectors;

/** Human descriptions of (masked) schema types, for messages. Pure; thread-safe. */
public final class TypeDescriptions {
    /** How many names a list in a message shows before "...". */
    static final int MAX_LISTED = 12;

    private TypeDescriptions() {
    }

    /** Describes the type called {@code typeName} in {@code schema}; see {@link QmpSchema#describe}. */
    public static String describe(QmpSchema schema, String typeName) {
        SchemaType t = schema.type(typeName).orElse(null);
        if (t == null) {
            return "undefined type " + typeName;
        }
        if (t instanceof BuiltinType b) {
            return b.name();
        } else if (t instanceof EnumType e) {
            return "enum (" + list(e.values()) + ")";
        } else if (t instanceof ArrayType a) {
            return "array of " + shallow(schema, a.elementType());
        } else if (t instanceof ObjectType) {
            return "object";
        }
        return ((AlternateType) t).members().stream().map(m -> shallow(schema, m)).collect(Collectors.joining(" or "));
    }

    /** Like {@link #describe} but without listing enum values: for nested mentions. */
    static String shallow(QmpSchema schema, String typeName) {
        SchemaType t = schema.type(typeName).orElse(null);
        if (t instanceof EnumType) {
            return "enum";
        } else if (t instanceof ArrayType a) {
            return "array of " + shallow(schema, a.elementType());
        }
        return describe(schema, typeName);
    }

    /** {@code a, b, c} with at most {@value #MAX_LISTED} names, then {@code ...}. */
    static String list(List<String> names) {
        if (names.size() <= MAX_LISTED) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, MAX_LISTED)) + ", ... (" + names.size() + " in all)";
    }
}
