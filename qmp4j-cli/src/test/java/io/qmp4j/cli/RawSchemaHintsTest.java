package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.cli.SchemaHints.Member;
import io.qmp4j.message.QmpJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawSchemaHintsTest {
    private final RawSchemaHints schema = SchemaFixture.hints();

    private static JsonNode json(String text) throws Exception {
        return QmpJson.mapper().readTree(text);
    }

    @Test
    void commandsComeFromQueryCommandsAndEventsFromTheSchema() {
        assertThat(schema.commands()).containsExactlyElementsOf(SchemaFixture.COMMANDS);
        assertThat(schema.events()).containsExactly("BLOCK_JOB_COMPLETED", "DEVICE_DELETED", "STOP");
        assertThat(new RawSchemaHints(SchemaFixture.json(), null).commands()).contains("query-status", "quit");
    }

    @Test
    void argumentsListMembersWithTypesAndOptionality() {
        assertThat(schema.arguments("human-monitor-command", List.of(), null)).containsExactly(
                new Member("command-line", "str", false), new Member("cpu-index", "int", true));
        assertThat(schema.arguments("query-status", List.of(), null)).isEmpty();
        assertThat(schema.arguments("no-such-command", List.of(), null)).isEmpty();
    }

    @Test
    void aUnionOffersEveryVariantsMembersUntilItsTagIsGiven() throws Exception {
        List<String> all = names(schema.arguments("blockdev-add", List.of(), null));
        assertThat(all).contains("driver", "node-name", "filename", "backing", "data-file");

        List<String> file = names(schema.arguments("blockdev-add", List.of(), json("{\"driver\":\"file\"}")));
        assertThat(file).contains("driver", "node-name", "filename", "aio").doesNotContain("backing", "data-file");
    }

    @Test
    void dottedPathsReachNestedObjectsAndAlternatesObjectBranch() throws Exception {
        assertThat(names(schema.arguments("blockdev-add", List.of("cache"), null))).containsExactly("direct", "no-flush");
        // qcow2's "file" is BlockdevRef: a node name (str) or a whole BlockdevOptions object
        assertThat(names(schema.arguments("blockdev-add", List.of("file"), json("{\"driver\":\"qcow2\"}"))))
                .contains("driver", "node-name");
        assertThat(schema.arguments("blockdev-add", List.of("node-name"), null)).isEmpty();
    }

    @Test
    void valuesAreEnumValuesOrBooleans() {
        assertThat(schema.values("blockdev-add", List.of("driver"), null)).contains("file", "qcow2", "raw", "nbd")
                .hasSizeGreaterThan(30);
        assertThat(schema.values("blockdev-add", List.of("cache", "direct"), null)).containsExactly("true", "false");
        assertThat(schema.values("blockdev-add", List.of("discard"), null)).containsExactly("ignore", "unmap");
        assertThat(schema.values("human-monitor-command", List.of("command-line"), null)).isEmpty();
        assertThat(schema.values("blockdev-add", List.of(), null)).isEmpty();
    }

    @Test
    void describesACommandWithArgumentsAndReturnType() {
        assertThat(schema.describe("human-monitor-command")).hasValue(String.join("\n",
                "command human-monitor-command [savevm-monitor-nodes]",
                "arguments:",
                "  command-line  str",
                "  cpu-index     int, optional",
                "returns: str"));
    }

    @Test
    void describesObjectReturnsAndEventsAndEnums() {
        assertThat(schema.describe("query-status").orElseThrow()).contains(
                "arguments: none", "returns: object\n  running     bool", "  status      enum(debug|");
        assertThat(schema.describe("stop").orElseThrow()).endsWith("returns: {} (nothing)");
        assertThat(schema.describe("DEVICE_DELETED")).hasValue(String.join("\n",
                "event DEVICE_DELETED", "data:", "  device  str, optional", "  path    str"));
        assertThat(schema.describe("STOP")).hasValue("event STOP\ndata: none");
        assertThat(schema.describe("int")).hasValue("type int (builtin): int");
        assertThat(schema.describe("nothing-by-this-name")).isEmpty();
    }

    @Test
    void describesUnionVariantsGroupedByType() {
        String text = schema.describe("blockdev-add").orElseThrow();
        assertThat(text).startsWith("command blockdev-add\narguments:\n  driver ")
                .contains("  when driver=file:\n    filename ", "  when driver=qcow2:", "  when driver=raw:")
                .contains("  cache ", "    direct ", "bool, optional");
    }

    @Test
    void rejectsWhatIsNotASchema() throws Exception {
        assertThatThrownBy(() -> new RawSchemaHints(json("{}"), null)).hasMessageContaining("not return an array");
        assertThatThrownBy(() -> new RawSchemaHints(json("[{\"meta-type\":\"command\"}]"), null))
                .hasMessageContaining("has no name");
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(Member::name).toList();
    }
}
