package io.qmp4j.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QmpSchemaTest {
    private final QmpSchema schema = SchemaFixtures.fixture();

    @Test
    void parsesEveryMetaType() {
        assertThat(schema.commands()).extracting(SchemaCommand::name)
                .containsExactly("query-status", "stop", "human-monitor-command", "blockdev-add", "device_add", "set-numbers");
        assertThat(schema.events()).extracting(SchemaEvent::name).containsExactly("STOP", "DEVICE_DELETED");
        assertThat(schema.type("4")).containsInstanceOf(EnumType.class);
        assertThat(schema.type("[int]")).contains(new ArrayType("[int]", "int"));
        assertThat(schema.type("8")).contains(new AlternateType("8", List.of("3", "str", "null")));
        assertThat(schema.type("any")).contains(new BuiltinType("any", JsonType.VALUE));
        assertThat(schema.type("bool").orElseThrow().jsonType()).isEqualTo(JsonType.BOOLEAN);
        assertThat(schema.toString()).isEqualTo("QmpSchema[6 commands, 2 events, 19 types]");
    }

    @Test
    void keepsCommandFlagsAndFeatures() {
        SchemaCommand c = schema.command("set-numbers").orElseThrow();
        assertThat(c.allowOob()).isTrue();
        assertThat(c.features()).containsExactly("unstable");
        assertThat(schema.command("stop").orElseThrow().allowOob()).isFalse();
        assertThat(schema.command("nope")).isEmpty();
    }

    @Test
    void resolvesArgumentReturnAndEventTypes() {
        ObjectType args = schema.argumentsOf("human-monitor-command").orElseThrow();
        assertThat(args.members()).containsExactly(
                new SchemaMember("command-line", "str", false, List.of()),
                new SchemaMember("cpu-index", "int", true, List.of()));
        assertThat(schema.returnTypeOf("query-status").orElseThrow()).isInstanceOf(ObjectType.class);
        assertThat(schema.returnTypeOf("human-monitor-command")).contains(new BuiltinType("str", JsonType.STRING));
        assertThat(schema.dataOf("DEVICE_DELETED").orElseThrow().member("path").orElseThrow().optional()).isFalse();
        assertThat(schema.dataOf("STOP").orElseThrow().members()).isEmpty();
    }

    @Test
    void modelsFlatUnions() {
        ObjectType union = schema.argumentsOf("blockdev-add").orElseThrow();
        assertThat(union.isUnion()).isTrue();
        assertThat(union.tag()).isEqualTo("driver");
        assertThat(union.variant("null-co")).contains(new SchemaVariant("null-co", "6"));
        assertThat(union.variant("raw")).isEmpty();
        assertThat(((ObjectType) schema.type("5").orElseThrow()).member("backing").orElseThrow().features())
                .containsExactly("deprecated");
    }

    @Test
    void supportsDetectsCommandsAndArgumentsIncludingUnionBranches() {
        assertThat(schema.supports("query-status")).isTrue();
        assertThat(schema.supports("query-stauts")).isFalse();
        assertThat(schema.supports("human-monitor-command", "cpu-index")).isTrue();
        assertThat(schema.supports("human-monitor-command", "cpu")).isFalse();
        assertThat(schema.supports("blockdev-add", "node-name")).isTrue();
        assertThat(schema.supports("blockdev-add", "read-zeroes")).isTrue();
        assertThat(schema.supports("blockdev-add", "zeroes")).isFalse();
        assertThat(schema.supports("nope", "x")).isFalse();
    }

    @Test
    void describesMaskedTypesByShape() {
        assertThat(schema.describe("str")).isEqualTo("str");
        assertThat(schema.describe("4")).isEqualTo("enum (running, paused, prelaunch)");
        assertThat(schema.describe("[int]")).isEqualTo("array of int");
        assertThat(schema.describe("3")).isEqualTo("object");
        assertThat(schema.describe("8")).isEqualTo("object or str or null");
        assertThat(schema.describe("999")).isEqualTo("undefined type 999");
    }

    @Test
    void rejectsWhatIsNotASchemaNamingTheEntry() {
        assertThatThrownBy(() -> QmpSchema.parse("{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> QmpSchema.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> QmpSchema.parse("[{\"name\":\"x\",\"meta-type\":\"command\",\"arg-type\":\"0\"}]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema entry 0").hasMessageContaining("missing string field 'ret-type'");
        assertThatThrownBy(() -> QmpSchema.parse("[{\"name\":\"x\",\"meta-type\":\"thing\"}]"))
                .hasMessageContaining("unknown meta-type 'thing'");
        assertThatThrownBy(() -> QmpSchema.parse(
                "[{\"name\":\"x\",\"meta-type\":\"command\",\"arg-type\":\"0\",\"ret-type\":\"0\"}]"))
                .hasMessageContaining("command x uses type '0', which the schema does not define");
    }

    @Test
    void exposesUnmodifiableViews() {
        assertThatThrownBy(() -> schema.commands().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> schema.types().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
