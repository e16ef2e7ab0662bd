package io.qmp4j.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.QmpException;
import io.qmp4j.QmpValidationException;
import io.qmp4j.QmpValidationException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of validation error, with its path, expectation and suggestion; and what passes. */
class QmpSchemaValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final QmpSchema schema = SchemaFixtures.fixture();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private QmpValidationException reject(String command, String args) {
        return catchThrowableOfType(QmpValidationException.class,
                () -> schema.validate(command, args == null ? null : json(args)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'command-line': 'info status'}",
        "{'command-line': 'info status', 'cpu-index': 0}",
        "{'driver': 'null-co', 'node-name': 'n0', 'size': 1048576, 'read-zeroes': true}",
        "{'driver': 'raw', 'node-name': 'r'}",
        "{'driver': 'file', 'filename': '/x', 'backing': null}",
        "{'driver': 'file', 'filename': '/x', 'backing': 'other-node'}",
        "{'driver': 'file', 'filename': '/x', 'backing': {'driver': 'null-co'}}",
        "{'driver': 'virtio-net-pci', 'id': 'nic1', 'mac': '52:54:00:12:34:56', 'addr': '0x5'}",
        "{'values': [1, 2, 18446744073709551615], 'ratio': 2, 'extra': {'any': ['thing']}}",
        "{'values': [], 'ratio': 0.5}"
    })
    void acceptsValidCalls(String args) {
        String command = args.contains("command-line") ? "human-monitor-command"
                : args.contains("'values'") ? "set-numbers"
                : args.contains("virtio") ? "device_add" : "blockdev-add";
        assertThatCode(() -> schema.validate(command, json(args))).doesNotThrowAnyException();
    }

    @Test
    void acceptsNoArgumentsAsAnEmptyObject() {
        assertThatCode(() -> schema.validate("query-status", null)).doesNotThrowAnyException();
        assertThatCode(() -> schema.validate("stop", json("{}"))).doesNotThrowAnyException();
    }

    @Test
    void unknownCommandSuggestsTheNearestName() {
        QmpValidationException e = reject("query-stauts", null);
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_COMMAND);
        assertThat(e.path()).isEqualTo("execute");
        assertThat(e.suggestion()).contains("query-status");
        assertThat(e).hasMessage("query-stauts: execute: unknown command; did you mean 'query-status'?")
                .isInstanceOf(QmpException.class);
        assertThat(reject("device-add", null).suggestion()).contains("device_add");
        assertThat(reject("frobnicate", null).suggestion()).isEmpty();
    }

    @Test
    void unknownArgumentNamesThePathTheKnownNamesAndTheSuggestion() {
        QmpValidationException e = reject("blockdev-add", "{'drivr': 'null-co'}");
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ARGUMENT);
        assertThat(e.path()).isEqualTo("arguments.drivr");
        assertThat(e.suggestion()).contains("driver");
        assertThat(e.expected()).contains("one of driver, node-name, read-only, filename, backing, size, read-zeroes");
        assertThat(e.reason()).startsWith("unknown argument; expected one of driver").endsWith("; did you mean 'driver'?");
        assertThat(e.getMessage()).startsWith("blockdev-add: arguments.drivr: unknown argument;");
    }

    @Test
    void unknownArgumentKnowsOnlyTheSelectedUnionBranch() {
        QmpValidationException e = reject("blockdev-add", "{'driver': 'null-co', 'filename': '/x'}");
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ARGUMENT);
        assertThat(e.path()).isEqualTo("arguments.filename");
        assertThat(e.expected()).contains("one of driver, node-name, read-only, size, read-zeroes");
        assertThat(reject("stop", "{'force': true}").expected()).contains("none");
    }

    @Test
    void unknownMemberInANestedObjectHasItsFullPath() {
        QmpValidationException e = reject("blockdev-add",
                "{'driver': 'file', 'filename': '/x', 'backing': {'driver': 'null-co', 'sise': 5}}");
        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ARGUMENT);
        assertThat(e.path()).isEqualTo("arguments.backing.sise");
        assertThat(e.reason()).startsWith("unknown member;");
        assertThat(e.suggestion()).contains("size");
    }

    @Test
    void missingRequiredArgumentSaysWhatIsExpected() {
        QmpValidationException e = reject("human-monitor-command", "{'cpu-index': 1}");
        assertThat(e.kind()).isEqualTo(Kind.MISSING_ARGUMENT);
        assertThat(e.path()).isEqualTo("arguments.command-line");
        assertThat(e.expected()).contains("str");
        assertThat(e).hasMessage("human-monitor-command: arguments.command-line: missing required argument; expected str");
        assertThat(reject("human-monitor-command", null).path()).isEqualTo("arguments.command-line");
    }

    @Test
    void missingUnionTagAndMissingBranchMember() {
        QmpValidationException tag = reject("blockdev-add", "{'node-name': 'n'}");
        assertThat(tag.kind()).isEqualTo(Kind.MISSING_ARGUMENT);
        assertThat(tag.path()).isEqualTo("arguments.driver");
        assertThat(tag.expected()).contains("enum (file, null-co, raw)");
        QmpValidationException branch = reject("blockdev-add", "{'driver': 'file'}");
        assertThat(branch.path()).isEqualTo("arguments.filename");
        assertThat(branch.kind()).isEqualTo(Kind.MISSING_ARGUMENT);
    }

    @Test
    void wrongJsonTypeAtEveryLevel() {
        QmpValidationException e = reject("human-monitor-command", "{'command-line': 5}");
        assertThat(e.kind()).isEqualTo(Kind.WRONG_TYPE);
        assertThat(e.path()).isEqualTo("arguments.command-line");
        assertThat(e.reason()).isEqualTo("wrong type; expected str, got number 5");
        assertThat(e.suggestion()).isEmpty();
        assertThat(reject("human-monitor-command", "{'command-line': 'x', 'cpu-index': 1.5}").reason())
                .isEqualTo("wrong type; expected int, got number 1.5");
        assertThat(reject("human-monitor-command", "{'command-line': 'x', 'cpu-index': '1'}").reason())
                .isEqualTo("wrong type; expected int, got string '1'");
        assertThat(reject("blockdev-add", "{'driver': 'raw', 'read-only': 'yes'}").path()).isEqualTo("arguments.read-only");
        assertThat(reject("set-numbers", "{'values': [1, 'two']}").path()).isEqualTo("arguments.values[1]");
        assertThat(reject("set-numbers", "{'values': 3}").reason()).isEqualTo("wrong type; expected array of int, got number 3");
        assertThat(reject("set-numbers", "{'values': [], 'ratio': true}").reason())
                .isEqualTo("wrong type; expected number, got boolean true");
        assertThat(reject("stop", "[]").path()).isEqualTo("arguments");
    }

    @Test
    void nullIsAWrongTypeUnlessTheTypeAllowsIt() {
        QmpValidationException e = reject("blockdev-add", "{'driver': 'raw', 'node-name': null}");
        assertThat(e.kind()).isEqualTo(Kind.WRONG_TYPE);
        assertThat(e.reason()).isEqualTo("wrong type; expected str, got null");
    }

    @Test
    void badEnumValueListsTheValuesAndSuggests() {
        QmpValidationException e = reject("blockdev-add", "{'driver': 'nul-co'}");
        assertThat(e.kind()).isEqualTo(Kind.BAD_ENUM_VALUE);
        assertThat(e.path()).isEqualTo("arguments.driver");
        assertThat(e.reason()).isEqualTo(
                "bad enum value; expected one of file, null-co, raw, got string 'nul-co'; did you mean 'null-co'?");
        assertThat(reject("blockdev-add", "{'driver': 7}").kind()).isEqualTo(Kind.WRONG_TYPE);
    }

    @Test
    void noAlternateBranchForTheValuesJsonType() {
        QmpValidationException e = reject("blockdev-add", "{'driver': 'file', 'filename': '/x', 'backing': 5}");
        assertThat(e.kind()).isEqualTo(Kind.NO_ALTERNATE_BRANCH);
        assertThat(e.path()).isEqualTo("arguments.backing");
        assertThat(e.reason()).isEqualTo("no alternate branch matches; expected object or str or null, got number 5");
    }

    @Test
    void anAlternateBranchIsValidatedInside() {
        QmpValidationException e = reject("blockdev-add",
                "{'driver': 'file', 'filename': '/x', 'backing': {'driver': 'raw', 'read-only': 1}}");
        assertThat(e.kind()).isEqualTo(Kind.WRONG_TYPE);
        assertThat(e.path()).isEqualTo("arguments.backing.read-only");
    }

    @Test
    void deviceAddTakesDevicePropertiesButStillChecksItsOwnArguments() {
        assertThat(reject("device_add", "{'id': 'x'}").path()).isEqualTo("arguments.driver");
        assertThat(reject("device_add", "{'driver': 5}").kind()).isEqualTo(Kind.WRONG_TYPE);
    }
}
