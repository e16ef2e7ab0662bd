package io.qmp4j.codegen;

import io.qmp4j.schema.AlternateType;
import io.qmp4j.schema.ArrayType;
import io.qmp4j.schema.BuiltinType;
import io.qmp4j.schema.EnumType;
import io.qmp4j.schema.JsonType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaMember;
import io.qmp4j.schema.SchemaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes the source of one named type: a record, a sealed union, an enum or a sealed alternate. */
final class TypeEmitter {
    static final String TYPES_PACKAGE = "io.qmp4j.api.types";

    private final QmpSchema schema;
    private final TypeNamer namer;
    private final String header;

    TypeEmitter(QmpSchema schema, TypeNamer namer, String header) {
        this.schema = schema;
        this.namer = namer;
        this.header = header;
    }

    /** The Java type of values of {@code typeName}; builtins boxed, arrays as {@code List}. */
    String javaType(String typeName) {
        SchemaType t = schema.type(typeName).orElseThrow();
        if (t instanceof BuiltinType b) {
            return switch (b.jsonType()) {
                case STRING -> "String";
                case INT -> "Long";
                case NUMBER -> "Double";
                case BOOLEAN -> "Boolean";
                case NULL -> "Void";
                default -> "JsonNode";
            };
        } else if (t instanceof ArrayType a) {
            return "List<" + javaType(a.elementType()) + ">";
        }
        return namer.nameOf(typeName);
    }

    /** A Java expression for the Jackson {@code JavaType} of {@code typeName}, via the API's {@code ApiCodec}. */
    String typeExpression(String typeName) {
        SchemaType t = schema.type(typeName).orElseThrow();
        if (t instanceof ArrayType a) {
            return "ApiCodec.listOf(" + typeExpression(a.elementType()) + ")";
        }
        return "ApiCodec.type(" + javaType(typeName) + ".class)";
    }

    /** The source file for named type {@code typeName}. */
    String emit(String typeName, boolean input) {
        SchemaType t = schema.type(typeName).orElseThrow();
        String name = namer.nameOf(typeName);
        String doc = "QMP " + describe(t) + " type {@code " + typeName + "} (masked name), first met as "
                + JavaNames.doc(namer.originOf(typeName)) + ".";
        StringBuilder out = new StringBuilder(header).append("package ").append(TYPES_PACKAGE).append(";\n\n");
        imports(out);
        if (t instanceof EnumType e) {
            enumType(out, name, e, doc);
        } else if (t instanceof AlternateType a) {
            alternate(out, name, a, doc);
        } else {
            ObjectType o = (ObjectType) t;
            if (o.isUnion()) {
                union(out, name, o, doc, input);
            } else {
                record(out, "", name, o.members(), doc, input, null, null, "");
            }
        }
        return out.toString();
    }

    private static String describe(SchemaType t) {
        if (t instanceof ObjectType o) {
            return o.isUnion() ? "union" : "object";
        }
        return t instanceof EnumType ? "enum" : "alternate";
    }

    static void imports(StringBuilder out) {
        out.append("import com.fasterxml.jackson.annotation.*;\n")
                .append("import com.fasterxml.jackson.databind.JsonNode;\n")
                .append("import java.util.List;\n\n");
    }

    /** The members of a record: base members and, for a union case, the branch's members. */
    List<SchemaMember> caseMembers(ObjectType union, String tagValue) {
        List<SchemaMember> all = new ArrayList<>(union.members());
        union.variant(tagValue).ifPresent(v -> all.addAll(namer.object(v.type()).members()));
        return all;
    }

    /**
     * Writes a record with one component per member (boxed; {@code null} when absent), an
     * optional builder, and an {@code implements} clause.
     */
    void record(StringBuilder out, String indent, String name, List<SchemaMember> members, String doc,
            boolean builder, String implemented, String[] presetTag, String extraBody) {
        Map<SchemaMember, String> fields = fieldNames(members);
        out.append(indent).append("/**\n").append(indent).append(" * ").append(doc).append('\n');
        if (!members.isEmpty()) {
            out.append(indent).append(" *\n");
        }
        for (SchemaMember m : members) {
            out.append(indent).append(" * @param ").append(fields.get(m)).append(" {@code ").append(m.name())
                    .append("}: ").append(JavaNames.doc(schema.describe(m.type())))
                    .append(m.optional() ? "; optional, {@code null} when absent" : "").append(features(m)).append('\n');
        }
        out.append(indent).append(" */\n");
        out.append(indent).append("@JsonIgnoreProperties(ignoreUnknown = true)\n");
        out.append(indent).append("public record ").append(name).append('(');
        String sep = "";
        for (SchemaMember m : members) {
            out.append(sep).append('\n').append(indent).append("        @JsonProperty(").append(JavaNames.literal(m.name()))
                    .append(") ").append(javaType(m.type())).append(' ').append(fields.get(m));
            sep = ",";
        }
        out.append(')').append(implemented == null ? "" : " implements " + implemented).append(" {\n");
        out.append(extraBody);
        if (builder) {
            builder(out, indent + "    ", name, members, fields, presetTag);
        }
        out.append(indent).append("}\n");
    }

    private static String features(SchemaMember m) {
        return m.features().isEmpty() ? "" : "; features: " + String.join(", ", m.features());
    }

    static Map<SchemaMember, String> fieldNames(List<SchemaMember> members) {
        Map<SchemaMember, String> fields = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (SchemaMember m : members) {
            String f = JavaNames.camel(m.name());
            String unique = f;
            for (int i = 2; !used.add(unique); i++) {
                unique = f + i;
            }
            fields.put(m, unique);
        }
        return fields;
    }

    private void builder(StringBuilder out, String indent, String name, List<SchemaMember> members,
            Map<SchemaMember, String> fields, String[] presetTag) {
        out.append(indent).append("/** A builder for {@link ").append(name).append("}. */\n")
                .append(indent).append("public static Builder builder() {\n")
                .append(indent).append("    return new Builder();\n").append(indent).append("}\n\n");
        out.append(indent).append("/** Builds {@link ").append(name).append("}; required members must be set. */\n")
                .append(indent).append("public static final class Builder {\n");
        for (SchemaMember m : members) {
            out.append(indent).append("    private ").append(javaType(m.type())).append(' ').append(fields.get(m));
            if (presetTag != null && m.name().equals(presetTag[0])) {
                out.append(" = ").append(presetTag[1]);
            }
            out.append(";\n");
        }
        out.append("\n").append(indent).append("    private Builder() {\n").append(indent).append("    }\n");
        for (SchemaMember m : members) {
            if (presetTag != null && m.name().equals(presetTag[0])) {
                continue;
            }
            String f = fields.get(m);
            out.append('\n').append(indent).append("    /** Sets {@code ").append(m.name()).append("}")
                    .append(m.optional() ? " (optional)" : " (required)").append(". */\n")
                    .append(indent).append("    public Builder ").append(f).append('(').append(javaType(m.type()))
                    .append(' ').append(f).append(") {\n")
                    .append(indent).append("        this.").append(f).append(" = ").append(f).append(";\n")
                    .append(indent).append("        return this;\n").append(indent).append("    }\n");
        }
        out.append('\n').append(indent).append("    /**\n").append(indent).append("     * The record.\n")
                .append(indent).append("     *\n").append(indent)
                .append("     * @throws IllegalStateException when a required member is not set\n")
                .append(indent).append("     */\n")
                .append(indent).append("    public ").append(name).append(" build() {\n");
        List<String> args = new ArrayList<>();
        for (SchemaMember m : members) {
            String f = fields.get(m);
            args.add(f);
            if (!m.optional()) {
                out.append(indent).append("        if (").append(f).append(" == null) {\n")
                        .append(indent).append("            throw new IllegalStateException(\"").append(name)
                        .append(": required member '").append(m.name()).append("' is not set\");\n")
                        .append(indent).append("        }\n");
            }
        }
        out.append(indent).append("        return new ").append(name).append('(').append(String.join(", ", args))
                .append(");\n").append(indent).append("    }\n").append(indent).append("}\n");
    }

    private void union(StringBuilder out, String name, ObjectType o, String doc, boolean input) {
        SchemaMember tag = o.member(o.tag()).orElseThrow();
        EnumType tagEnum = (EnumType) schema.type(tag.type()).orElseThrow();
        String tagType = namer.nameOf(tag.type());
        Map<String, String> cases = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(TypeNamer.RESERVED);
        used.add(name);
        for (String value : tagEnum.values()) {
            String c = JavaNames.pascal(value);
            String unique = used.contains(c) ? c + "Case" : c;
            for (int i = 2; !used.add(unique); i++) {
                unique = c + "Case" + i;
            }
            cases.put(value, unique);
        }
        out.append("/**\n * ").append(doc).append(" A flat union: the value of {@code ").append(o.tag())
                .append("} selects the case record.\n */\n");
        out.append("@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = ")
                .append(JavaNames.literal(o.tag())).append(", visible = true, defaultImpl = ").append(name)
                .append(".Unknown.class)\n@JsonSubTypes({");
        String sep = "";
        for (Map.Entry<String, String> c : cases.entrySet()) {
            out.append(sep).append("\n        @JsonSubTypes.Type(value = ").append(name).append('.').append(c.getValue())
                    .append(".class, name = ").append(JavaNames.literal(c.getKey())).append(')');
            sep = ",";
        }
        out.append("})\npublic sealed interface ").append(name).append(" {\n");
        Map<SchemaMember, String> baseFields = fieldNames(o.members());
        for (SchemaMember m : o.members()) {
            out.append("    /** {@code ").append(m.name()).append("}: ").append(JavaNames.doc(schema.describe(m.type())))
                    .append(m.optional() ? "; {@code null} when absent" : "").append(". */\n    ")
                    .append(javaType(m.type())).append(' ').append(baseFields.get(m)).append("();\n\n");
        }
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String preset = tagType + "." + enumConstants(tagEnum).get(c.getKey());
            String caseDoc = "The case {@code " + o.tag() + ": " + c.getKey() + "}.";
            record(out, "    ", c.getValue(), caseMembers(o, c.getKey()), caseDoc, input, name,
                    new String[] {o.tag(), preset}, "");
            out.append('\n');
        }
        record(out, "    ", "Unknown", o.members(), "A case this version of qmp4j does not know (from a newer QEMU); "
                + "read-only.", false, name, null, "");
        out.append("}\n");
    }

    /** The Java constant of each enum value, made unique. */
    static Map<String, String> enumConstants(EnumType e) {
        Map<String, String> constants = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(Set.of("UNKNOWN"));
        for (String v : e.values()) {
            String c = JavaNames.constant(v);
            String unique = c;
            for (int i = 2; !used.add(unique); i++) {
                unique = c + "_" + i;
            }
            constants.put(v, unique);
        }
        return constants;
    }

    private static void enumType(StringBuilder out, String name, EnumType e, String doc) {
        out.append("/**\n * ").append(doc).append(" Values QEMU adds later read as {@link #UNKNOWN}.\n */\n")
                .append("public enum ").append(name).append(" {\n");
        for (Map.Entry<String, String> c : enumConstants(e).entrySet()) {
            out.append("    /** {@code ").append(JavaNames.doc(c.getKey())).append("} */\n    ").append(c.getValue())
                    .append('(').append(JavaNames.literal(c.getKey())).append("),\n");
        }
        out.append("    /** A value this version of qmp4j does not know (from a newer QEMU); cannot be sent. */\n")
                .append("    UNKNOWN(null);\n\n")
                .append("    private final String value;\n\n")
                .append("    ").append(name).append("(String value) {\n        this.value = value;\n    }\n\n")
                .append("    /**\n     * The value on the wire.\n     *\n")
                .append("     * @throws IllegalStateException for {@link #UNKNOWN}, which has none\n     */\n")
                .append("    public String value() {\n        if (value == null) {\n")
                .append("            throw new IllegalStateException(\"").append(name)
                .append(".UNKNOWN stands for a value QEMU sent that qmp4j does not know; it cannot be sent\");\n")
                .append("        }\n        return value;\n    }\n\n")
                .append("    /** The JSON form: the wire value, or JSON {@code null} for {@link #UNKNOWN} (QEMU refuses it). */\n")
                .append("    @JsonValue\n    String json() {\n        return value;\n    }\n\n")
                .append("    /** The constant for {@code value}; {@link #UNKNOWN} when there is none. */\n")
                .append("    @JsonCreator\n    public static ").append(name).append(" fromValue(String value) {\n")
                .append("        for (").append(name).append(" c : values()) {\n")
                .append("            if (c.value != null && c.value.equals(value)) {\n                return c;\n")
                .append("            }\n        }\n        return UNKNOWN;\n    }\n}\n");
    }

    private void alternate(StringBuilder out, String name, AlternateType a, String doc) {
        Map<String, String> branches = new LinkedHashMap<>();
        for (String member : a.members()) {
            SchemaType t = schema.type(member).orElseThrow();
            String b = t instanceof ArrayType ? "OfList" : t instanceof BuiltinType bt && bt.jsonType() == JsonType.NULL
                    ? "OfNull" : "Of" + javaType(member);
            branches.put(member, b);
        }
        out.append("/**\n * ").append(doc).append(" One record per branch; QEMU tells them apart by JSON type.\n */\n")
                .append("@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ").append(name)
                .append(".Decoder.class)\npublic sealed interface ").append(name).append(" {\n");
        for (Map.Entry<String, String> b : branches.entrySet()) {
            String type = javaType(b.getKey());
            out.append("    /** The {@code ").append(JavaNames.doc(schema.describe(b.getKey()))).append("} branch. */\n");
            if (type.equals("Void")) {
                out.append("    record OfNull() implements ").append(name).append(" {\n")
                        .append("        /** Always {@code null}: written as JSON {@code null}. */\n")
                        .append("        @JsonValue\n        public Object value() {\n            return null;\n")
                        .append("        }\n    }\n\n");
            } else {
                out.append("    record ").append(b.getValue()).append("(@JsonValue ").append(type).append(" value) implements ")
                        .append(name).append(" {\n    }\n\n");
            }
        }
        out.append("    /** Reads the branch that matches the JSON type. */\n")
                .append("    final class Decoder extends com.fasterxml.jackson.databind.deser.std.StdDeserializer<")
                .append(name).append("> {\n        private static final long serialVersionUID = 1L;\n\n")
                .append("        /** For Jackson. */\n        public Decoder() {\n            super(").append(name)
                .append(".class);\n        }\n\n")
                .append("        @Override\n        public ").append(name)
                .append(" deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)\n")
                .append("                throws java.io.IOException {\n")
                .append("            JsonNode n = ctxt.readTree(p);\n");
        String nullBranch = null;
        for (Map.Entry<String, String> b : branches.entrySet()) {
            SchemaType t = schema.type(b.getKey()).orElseThrow();
            JsonType j = t.jsonType();
            if (j == JsonType.NULL) {
                nullBranch = b.getValue();
                out.append("            if (n.isNull()) {\n                return new OfNull();\n            }\n");
                continue;
            }
            String test = switch (j) {
                case STRING -> "n.isTextual()";
                case INT, NUMBER -> "n.isNumber()";
                case BOOLEAN -> "n.isBoolean()";
                case OBJECT -> "n.isObject()";
                case ARRAY -> "n.isArray()";
                default -> "true";
            };
            out.append("            if (").append(test).append(") {\n                return new ").append(b.getValue())
                    .append("(ctxt.readTreeAsValue(n, ").append(typeExpression(b.getKey()).replace("ApiCodec.", "io.qmp4j.api.internal.ApiCodec.")).append("));\n")
                    .append("            }\n");
        }
        out.append("            return (").append(name).append(") ctxt.handleUnexpectedToken(").append(name)
                .append(".class, p);\n        }\n");
        if (nullBranch != null) {
            out.append("\n        @Override\n        public ").append(name)
                    .append(" getNullValue(com.fasterxml.jackson.databind.DeserializationContext ctxt) {\n")
                    .append("            return new OfNull();\n        }\n");
        }
        out.append("    }\n}\n");
    }
}
