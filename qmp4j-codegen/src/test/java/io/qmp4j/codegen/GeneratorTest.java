package io.qmp4j.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.schema.QmpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on a small fixture holding every meta-type: what it writes, and that it compiles cleanly. */
class GeneratorTest {
    private static Map<String, String> files;

    @BeforeAll
    static void generate() throws IOException {
        try (InputStream in = GeneratorTest.class.getResourceAsStream("fixture-schema.json")) {
            QmpSchema schema = QmpSchema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            files = new Generator(schema, "7.2.0").generate();
        }
    }

    private static String file(String path) {
        assertThat(files).containsKey(path);
        return files.get(path);
    }

    @Test
    void namesTypesAfterCommandsEventsAndMembers() {
        assertThat(files.keySet()).contains(
                "io/qmp4j/api/QemuApi.java",
                "io/qmp4j/api/types/StatusInfo.java",            // return of query-status
                "io/qmp4j/api/types/StatusInfoStatus.java",      // its enum member
                "io/qmp4j/api/types/CpusFastInfo.java",          // array element of query-cpus-fast (a union)
                "io/qmp4j/api/types/SetLimitsResult.java",       // return of a non-query command
                "io/qmp4j/api/types/SetLimitsResultLimit.java",  // an alternate member
                "io/qmp4j/api/types/SetLimitsArguments.java",    // more than two optional arguments
                "io/qmp4j/api/types/BlockdevAddArguments.java",  // a boxed union argument
                "io/qmp4j/api/events/StopEvent.java",
                "io/qmp4j/api/events/BlockIoErrorEvent.java",
                "io/qmp4j/api/events/BlockIoErrorOperation.java".replace("events", "types"),
                "io/qmp4j/api/events/QemuEvent.java",
                "io/qmp4j/api/events/EventTypes.java");
    }

    @Test
    void objectsBecomeRecordsWithWireNamesAndInputObjectsGetBuilders() {
        String status = file("io/qmp4j/api/types/StatusInfo.java");
        assertThat(status).contains("public record StatusInfo(", "@JsonProperty(\"singlestep\") Boolean singlestep",
                "@JsonIgnoreProperties(ignoreUnknown = true)").doesNotContain("Builder");
        String args = file("io/qmp4j/api/types/SetLimitsArguments.java");
        assertThat(args).contains("public static Builder builder()",
                "throw new IllegalStateException(\"SetLimitsArguments: required member 'd' is not set\")");
        assertThat(file("io/qmp4j/api/types/SetLimitsResult.java")).contains("String class_");
    }

    @Test
    void enumsHaveWireValuesAndAnUnknownFallback() {
        String e = file("io/qmp4j/api/types/BlockIoErrorOperation.java");
        assertThat(e).contains("READ(\"read\")", "UNKNOWN_VALUE(\"unknown\")", "V_1X(\"1x\")", "UNKNOWN(null);",
                "@JsonCreator", "return UNKNOWN;");
    }

    @Test
    void unionsBecomeSealedInterfacesWithACaseRecordPerTagValue() {
        String u = file("io/qmp4j/api/types/BlockdevAddArguments.java");
        assertThat(u).contains("public sealed interface BlockdevAddArguments",
                "property = \"driver\", visible = true, defaultImpl = BlockdevAddArguments.Unknown.class",
                "@JsonSubTypes.Type(value = BlockdevAddArguments.NullCo.class, name = \"null-co\")",
                "record NullCo(", "@JsonProperty(\"read-zeroes\") Boolean readZeroes) implements BlockdevAddArguments",
                "record Raw(", "record Unknown(",
                "private BlockdevAddArgumentsDriver driver = BlockdevAddArgumentsDriver.NULL_CO;");
    }

    @Test
    void alternatesBecomeSealedInterfacesWithABranchPerJsonType() {
        String a = file("io/qmp4j/api/types/SetLimitsResultLimit.java");
        assertThat(a).contains("record OfLong(@JsonValue Long value)", "record OfBoolean(@JsonValue Boolean value)",
                "record OfList(@JsonValue List<Long> value)", "if (n.isNumber())");
        String withNull = files.values().stream().filter(s -> s.contains("record OfNull()")).findFirst().orElseThrow();
        assertThat(withNull).contains("getNullValue", "record OfString(@JsonValue String value)");
    }

    @Test
    void theApiHasSyncAndAsyncMethodsPerCommand() {
        String api = file("io/qmp4j/api/QemuApi.java");
        assertThat(api).contains(
                "public StatusInfo queryStatus() {",
                "public CompletableFuture<StatusInfo> queryStatusAsync() {",
                "public void stop() {",
                "public CompletableFuture<Void> stopAsync() {",
                "public String humanMonitorCommand(String commandLine, Long cpuIndex) {",
                "public String humanMonitorCommand(String commandLine) {",
                ".required(\"command-line\", commandLine).optional(\"cpu-index\", cpuIndex)",
                "public List<CpusFastInfo> queryCpusFast() {",
                "ApiCodec.listOf(ApiCodec.type(CpusFastInfo.class))",
                "public void blockdevAdd(BlockdevAddArguments arguments) {",
                "public void deviceAdd(String driver, String id, Map<String, ?> properties) {",
                ".required(\"driver\", driver).optional(\"id\", id).extra(properties).build()",
                "@Deprecated\n    public SetLimitsResult setLimits(SetLimitsArguments arguments) {",
                "public static final String SCHEMA_QEMU_VERSION = \"7.2.0\";");
        assertThat(file("io/qmp4j/api/events/EventTypes.java")).contains("Map.entry(\"BLOCK_IO_ERROR\", BlockIoErrorEvent.class)");
        assertThat(file("io/qmp4j/api/events/StopEvent.java")).contains("public record StopEvent() implements QemuEvent",
                "public static final String NAME = \"STOP\";");
    }

    @Test
    void isDeterministic() throws IOException {
        generate();
        Map<String, String> first = files;
        generate();
        assertThat(files).isEqualTo(first);
    }

    @Test
    void writingAgainTouchesOnlyChangedFilesAndRemovesStaleOnes(@TempDir Path dir) throws IOException {
        Generator.write(dir, files);
        Path status = dir.resolve("io/qmp4j/api/types/StatusInfo.java");
        Path stale = dir.resolve("io/qmp4j/api/types/Gone.java");
        Files.writeString(stale, "class Gone {}");
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(status, old);
        Generator.write(dir, files);
        assertThat(Files.getLastModifiedTime(status)).isEqualTo(old);
        assertThat(stale).doesNotExist();
        Files.writeString(status, "changed");
        Generator.write(dir, files);
        assertThat(Files.readString(status)).isEqualTo(files.get("io/qmp4j/api/types/StatusInfo.java"));
    }

    @Test
    void generatedSourcesCompileWithoutWarnings(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Generator.write(src, files);
        Path runtime = src.resolve("io/qmp4j/api/internal/ApiCodec.java");
        Files.createDirectories(runtime.getParent());
        // A stand-in for qmp4j-api's hand-written runtime, with the signatures generated code uses.
        Files.writeString(runtime, """
                package io.qmp4j.api.internal;
                public final class ApiCodec {
                    public static com.fasterxml.jackson.databind.JavaType type(Class<?> c) { return null; }
                    public static com.fasterxml.jackson.databind.JavaType listOf(com.fasterxml.jackson.databind.JavaType t) { return null; }
                    public static <T> T decode(com.fasterxml.jackson.databind.JsonNode v, com.fasterxml.jackson.databind.JavaType t) { return null; }
                    public static com.fasterxml.jackson.databind.JsonNode tree(Object o) { return null; }
                    public static io.qmp4j.schema.QmpSchema bundledSchema() { return null; }
                    public static Args args() { return new Args(); }
                    public static final class Args {
                        public Args required(String n, Object v) { return this; }
                        public Args optional(String n, Object v) { return this; }
                        public Args extra(java.util.Map<String, ?> m) { return this; }
                        public com.fasterxml.jackson.databind.node.ObjectNode build() { return null; }
                    }
                }
                """);
        Path typed = src.resolve("io/qmp4j/api/TypedEvents.java");
        Files.writeString(typed, """
                package io.qmp4j.api;
                final class TypedEvents {
                    static <E extends io.qmp4j.api.events.QemuEvent> E awaitEvent(io.qmp4j.QmpConnection q, Class<E> t, java.time.Duration d) { return null; }
                    static <E extends io.qmp4j.api.events.QemuEvent> io.qmp4j.event.EventSubscription onEvent(io.qmp4j.QmpConnection q, Class<E> t, java.util.function.Consumer<? super E> l) { return null; }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            fm.setLocation(StandardLocation.CLASS_OUTPUT, List.of(Files.createDirectories(dir.resolve("out")).toFile()));
            List<JavaFileObject> units = new ArrayList<>();
            try (var walk = Files.walk(src)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> units.add(new Source(p)));
            }
            boolean ok = javac.getTask(null, fm, diagnostics, List.of("-Xlint:all,-serial", "--release", "17",
                    "-classpath", System.getProperty("java.class.path")), null, units).call();
            List<String> problems = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> d.getKind() + " " + d.getSource().getName() + ":" + d.getLineNumber() + " " + d.getMessage(null))
                    .toList();
            assertThat(problems).isEmpty();
            assertThat(ok).isTrue();
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final Path path;

        Source(Path path) {
            super(URI.create("file://" + path.toAbsolutePath()), Kind.SOURCE);
            this.path = path;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            return Files.readString(path);
        }
    }
}
