package io.qmp4j.codegen;

import io.qmp4j.schema.BuiltinType;
import io.qmp4j.schema.ObjectType;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.schema.SchemaEvent;
import io.qmp4j.schema.SchemaMember;
import io.qmp4j.schema.SchemaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes {@code QemuApi} (one sync and one async method per command) and the event records. */
final class ApiEmitter {
    static final String API_PACKAGE = "io.qmp4j.api";
    static final String EVENTS_PACKAGE = "io.qmp4j.api.events";
    /** Commands that take arguments beyond their schema: {@code device_add}'s device properties. */
    static final Set<String> OPEN_COMMANDS = Set.of("device_add");

    private final QmpSchema schema;
    private final TypeNamer namer;
    private final TypeEmitter types;
    private final String header;
    private final int maxPlainOptionals;
    private final Map<String, String> argumentRecords = new LinkedHashMap<>();

    ApiEmitter(QmpSchema schema, TypeNamer namer, TypeEmitter types, String header, int maxPlainOptionals) {
        this.schema = schema;
        this.namer = namer;
        this.types = types;
        this.header = header;
        this.maxPlainOptionals = maxPlainOptionals;
    }

    /** Reserves names for the arguments records of commands with many optional arguments: command → record name. */
    Map<String, String> planArgumentRecords() {
        for (SchemaCommand c : schema.commands()) {
            ObjectType args = namer.object(c.argType());
            if (!args.isUnion() && TypeNamer.optionalCount(args) > maxPlainOptionals) {
                argumentRecords.put(c.name(), namer.reserve(JavaNames.pascal(c.name()) + "Arguments"));
            }
        }
        return argumentRecords;
    }

    /** The source of the arguments record of {@code command}. */
    String argumentRecord(SchemaCommand command) {
        String name = argumentRecords.get(command.name());
        StringBuilder out = new StringBuilder(header).append("package ").append(TypeEmitter.TYPES_PACKAGE).append(";\n\n");
        TypeEmitter.imports(out);
        types.record(out, "", name, namer.object(command.argType()).members(),
                "The arguments of {@code " + command.name() + "}; build them with {@link #builder()}.", true, null, null, "");
        return out.toString();
    }

    /** The Java name of the record for {@code event}. */
    static String eventRecordName(SchemaEvent event) {
        return JavaNames.pascal(event.name()) + "Event";
    }

    /** The source of the record for {@code event}. */
    String eventRecord(SchemaEvent event) {
        StringBuilder out = new StringBuilder(header).append("package ").append(EVENTS_PACKAGE).append(";\n\n");
        out.append("import io.qmp4j.api.types.*;\n");
        TypeEmitter.imports(out);
        String name = eventRecordName(event);
        String doc = "The data of QMP event {@code " + event.name() + "}"
                + (event.features().isEmpty() ? "" : " (features: " + String.join(", ", event.features()) + ")") + ".";
        types.record(out, "", name, namer.object(event.argType()).members(), doc, false, "QemuEvent", null,
                "    /** The event's name on the wire. */\n    public static final String NAME = "
                        + JavaNames.literal(event.name()) + ";\n" + (namer.object(event.argType()).members().isEmpty() ? "" : "\n"));
        return out.toString();
    }

    /** The sealed interface every event record implements. */
    String eventInterface() {
        StringBuilder out = new StringBuilder(header).append("package ").append(EVENTS_PACKAGE).append(";\n\n");
        out.append("/**\n * The typed data of a QMP event: one record per event of the schema, named after the event\n")
                .append(" * ({@code DEVICE_DELETED} → {@link DeviceDeletedEvent}). Switch over it, or ask\n")
                .append(" * {@link EventTypes} for the class of an event name.\n */\n")
                .append("public sealed interface QemuEvent permits ");
        List<String> names = new ArrayList<>();
        schema.events().forEach(e -> names.add(eventRecordName(e)));
        out.append(String.join(", ", names)).append(" {\n}\n");
        return out.toString();
    }

    /** The map between event names and record classes. */
    String eventTypes() {
        StringBuilder out = new StringBuilder(header).append("package ").append(EVENTS_PACKAGE).append(";\n\n")
                .append("import java.util.Map;\nimport java.util.Optional;\n\n")
                .append("/** Event names and their record classes, both ways. */\npublic final class EventTypes {\n")
                .append("    private static final Map<String, Class<? extends QemuEvent>> BY_NAME = Map.ofEntries(");
        String sep = "";
        for (SchemaEvent e : schema.events()) {
            out.append(sep).append("\n            Map.entry(").append(JavaNames.literal(e.name())).append(", ")
                    .append(eventRecordName(e)).append(".class)");
            sep = ",";
        }
        out.append(");\n\n    private EventTypes() {\n    }\n\n")
                .append("    /** The record class of event {@code name}, if the schema has the event. */\n")
                .append("    public static Optional<Class<? extends QemuEvent>> forName(String name) {\n")
                .append("        return Optional.ofNullable(BY_NAME.get(name));\n    }\n\n")
                .append("    /** The event name of a record class. */\n")
                .append("    public static String nameOf(Class<? extends QemuEvent> type) {\n")
                .append("        for (Map.Entry<String, Class<? extends QemuEvent>> e : BY_NAME.entrySet()) {\n")
                .append("            if (e.getValue() == type) {\n                return e.getKey();\n            }\n")
                .append("        }\n        throw new IllegalArgumentException(\"not a generated event class: \" + type);\n")
                .append("    }\n\n    /** Every event name of the schema. */\n")
                .append("    public static java.util.Set<String> names() {\n        return BY_NAME.keySet();\n    }\n}\n");
        return out.toString();
    }

    /** The source of {@code QemuApi}. */
    String api(String qemuVersion) {
        StringBuilder out = new StringBuilder(header).append("package ").append(API_PACKAGE).append(";\n\n")
                .append("import com.fasterxml.jackson.databind.JsonNode;\n")
                .append("import io.qmp4j.QmpConnection;\n")
                .append("import io.qmp4j.api.events.*;\n")
                .append("import io.qmp4j.api.internal.ApiCodec;\n")
                .append("import io.qmp4j.api.types.*;\n")
                .append("import io.qmp4j.event.EventSubscription;\n")
                .append("import java.time.Duration;\n")
                .append("import java.util.List;\n")
                .append("import java.util.Map;\n")
                .append("import java.util.concurrent.CompletableFuture;\n")
                .append("import java.util.function.Consumer;\n\n");
        out.append(ApiTemplate.head(qemuVersion, schema.commands().size(), schema.events().size()));
        Set<String> usedMethods = new HashSet<>(Set.of("of", "connection", "awaitEvent", "onEvent", "decode",
                "schema", "bundledSchema"));
        for (SchemaCommand c : schema.commands()) {
            String method = JavaNames.camel(c.name());
            String unique = method;
            for (int i = 2; !usedMethods.add(unique); i++) {
                unique = method + i;
            }
            command(out, c, unique);
        }
        out.append("}\n");
        return out.toString();
    }

    private void command(StringBuilder out, SchemaCommand c, String method) {
        SchemaType ret = schema.type(c.retType()).orElseThrow();
        boolean isVoid = ret instanceof ObjectType o && o.members().isEmpty() && !o.isUnion();
        String retType = isVoid ? "void" : types.javaType(c.retType());
        String asyncType = "CompletableFuture<" + (isVoid ? "Void" : retType) + ">";
        ObjectType args = namer.object(c.argType());
        String retDoc = isVoid ? "" : "     * @return the {@code return} value: " + JavaNames.doc(schema.describe(c.retType())) + "\n";
        List<String> notes = new ArrayList<>();
        if (!c.features().isEmpty()) {
            notes.add("QEMU features: " + String.join(", ", c.features()) + ".");
        }
        boolean deprecated = c.features().contains("deprecated");
        if (args.isUnion() || argumentRecords.containsKey(c.name())) {
            String argType = args.isUnion() ? namer.nameOf(c.argType()) : argumentRecords.get(c.name());
            List<Param> params = List.of(new Param("arguments", argType, null, "the arguments", false));
            methodPair(out, c, method, retType, asyncType, retDoc, notes, deprecated, params, "ApiCodec.tree(arguments)", isVoid);
            return;
        }
        List<Param> all = new ArrayList<>();
        Map<SchemaMember, String> fields = TypeEmitter.fieldNames(args.members());
        for (SchemaMember m : args.members()) {
            all.add(new Param(fields.get(m), types.javaType(m.type()), m.name(),
                    "{@code " + m.name() + "}: " + JavaNames.doc(schema.describe(m.type()))
                            + (m.optional() ? "; optional, {@code null} to leave it out" : ""), m.optional()));
        }
        if (OPEN_COMMANDS.contains(c.name())) {
            all.add(new Param("properties", "Map<String, ?>", null,
                    "further arguments the schema does not list (for {@code device_add}, the device's properties); "
                            + "{@code null} for none", true));
        }
        methodPair(out, c, method, retType, asyncType, retDoc, notes, deprecated, all, argsExpression(all), isVoid);
        List<Param> required = all.stream().filter(p -> !p.optional()).toList();
        if (required.size() < all.size()) {
            List<String> callArgs = new ArrayList<>();
            all.forEach(p -> callArgs.add(p.optional() ? "null" : p.name()));
            delegatePair(out, c, method, retType, asyncType, retDoc, deprecated, required, String.join(", ", callArgs), isVoid);
        }
    }

    private static String argsExpression(List<Param> params) {
        if (params.isEmpty()) {
            return "null";
        }
        StringBuilder e = new StringBuilder("ApiCodec.args()");
        for (Param p : params) {
            if (p.wireName() == null) {
                e.append(".extra(").append(p.name()).append(')');
                continue;
            }
            e.append(p.optional() ? ".optional(" : ".required(").append(JavaNames.literal(p.wireName())).append(", ")
                    .append(p.name()).append(')');
        }
        return e.append(".build()").toString();
    }

    private record Param(String name, String type, String wireName, String doc, boolean optional) {
    }

    private void methodPair(StringBuilder out, SchemaCommand c, String method, String retType, String asyncType,
            String retDoc, List<String> notes, boolean deprecated, List<Param> params, String argsExpr, boolean isVoid) {
        String signature = signature(params);
        String decode = isVoid ? "" : "ApiCodec.decode(%s, " + types.typeExpression(c.retType()) + ")";
        doc(out, "Runs {@code " + c.name() + "} and waits for its reply.", notes, params, retDoc, deprecated, true);
        out.append("    public ").append(retType).append(' ').append(method).append('(').append(signature).append(") {\n");
        String call = "qmp.execute(" + JavaNames.literal(c.name()) + ", " + cast(argsExpr) + ")";
        out.append(isVoid ? "        " + call + ";\n" : "        return " + String.format(decode, call) + ";\n").append("    }\n\n");
        doc(out, "Sends {@code " + c.name() + "}; the future completes on an I/O thread with the reply.", notes, params,
                isVoid ? "" : retDoc.replace("@return the", "@return a future of the"), deprecated, false);
        out.append("    public ").append(asyncType).append(' ').append(method).append("Async(").append(signature).append(") {\n")
                .append("        return qmp.executeAsync(").append(JavaNames.literal(c.name())).append(", ").append(cast(argsExpr))
                .append(")\n                .thenApply(v -> ").append(isVoid ? "(Void) null" : String.format(decode, "v"))
                .append(");\n    }\n\n");
    }

    private void delegatePair(StringBuilder out, SchemaCommand c, String method, String retType, String asyncType,
            String retDoc, boolean deprecated, List<Param> params, String callArgs, boolean isVoid) {
        String signature = signature(params);
        doc(out, "Runs {@code " + c.name() + "} without its optional arguments; see {@link #" + method + "}.",
                List.of(), params, retDoc, deprecated, true);
        out.append("    public ").append(retType).append(' ').append(method).append('(').append(signature).append(") {\n        ")
                .append(isVoid ? "" : "return ").append(method).append('(').append(callArgs).append(");\n    }\n\n");
        doc(out, "Sends {@code " + c.name() + "} without its optional arguments; see {@link #" + method + "Async}.",
                List.of(), params, isVoid ? "" : retDoc.replace("@return the", "@return a future of the"), deprecated, false);
        out.append("    public ").append(asyncType).append(' ').append(method).append("Async(").append(signature)
                .append(") {\n        return ").append(method).append("Async(").append(callArgs).append(");\n    }\n\n");
    }

    private static String cast(String argsExpr) {
        return argsExpr.equals("null") ? "(JsonNode) null" : argsExpr;
    }

    private static String signature(List<Param> params) {
        List<String> parts = new ArrayList<>();
        params.forEach(p -> parts.add(p.type() + " " + p.name()));
        return String.join(", ", parts);
    }

    private static void doc(StringBuilder out, String first, List<String> notes, List<Param> params, String retDoc,
            boolean deprecated, boolean sync) {
        out.append("    /**\n     * ").append(first).append('\n');
        for (String n : notes) {
            out.append("     * ").append(n).append('\n');
        }
        out.append("     *\n");
        for (Param p : params) {
            out.append("     * @param ").append(p.name()).append(' ').append(p.doc()).append('\n');
        }
        out.append(retDoc);
        if (sync) {
            out.append("     * @throws io.qmp4j.QmpCommandException when QEMU answers with an error\n");
        }
        if (deprecated) {
            out.append("     * @deprecated QEMU marks this command deprecated\n");
        }
        out.append("     */\n");
        if (deprecated) {
            out.append("    @Deprecated\n");
        }
    }

    /** Whether {@code typeName} is a builtin (for tests). */
    boolean isBuiltin(String typeName) {
        return schema.type(typeName).orElseThrow() instanceof BuiltinType;
    }
}
