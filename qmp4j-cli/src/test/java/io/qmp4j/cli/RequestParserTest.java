package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.cli.RequestParser.Request;
import io.qmp4j.message.QmpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

    private static JsonNode json(String text) throws Exception {
        return QmpJson.mapper().readTree(text);
    }

    private static String args(String line) {
        Request r = RequestParser.parse(line);
        return r.arguments() == null ? null : JsonText.compact(r.arguments());
    }

    @Test
    void aBareCommandHasNoArguments() {
        Request r = RequestParser.parse("  query-status  ");
        assertThat(r.command()).isEqualTo("query-status");
        assertThat(r.arguments()).isNull();
    }

    @Test
    void keyValuePairsBecomeArguments() {
        Request r = RequestParser.parse("device_add driver=virtio-net-pci id=nic1");
        assertThat(r.command()).isEqualTo("device_add");
        assertThat(JsonText.compact(r.arguments())).isEqualTo("{\"driver\":\"virtio-net-pci\",\"id\":\"nic1\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "x a=1                  | {\"a\":1}",
        "x a=-2.5               | {\"a\":-2.5}",
        "x a=true b=false       | {\"a\":true,\"b\":false}",
        "x a=null               | {\"a\":null}",
        "x a=\"1\"              | {\"a\":\"1\"}",
        "x a=\"two words\"      | {\"a\":\"two words\"}",
        "x a='two words'        | {\"a\":\"two words\"}",
        "x a=''                 | {\"a\":\"\"}",
        "x a=                   | {\"a\":\"\"}",
        "x a=[1, 2, \"x y\"]    | {\"a\":[1,2,\"x y\"]}",
        "x a={\"b\": {\"c\": 1}}  | {\"a\":{\"b\":{\"c\":1}}}",
        "x a=12abc              | {\"a\":\"12abc\"}",
        "x a=/dev/fdset/1       | {\"a\":\"/dev/fdset/1\"}",
        "x a=b=c                | {\"a\":\"b=c\"}",
        "x a=TRUE               | {\"a\":\"TRUE\"}",
        "x a=\"esc\\\"aped\"    | {\"a\":\"esc\\\"aped\"}",
    })
    void valuesAreJsonWhenTheyParseAsJsonElseStrings(String line, String expected) {
        assertThat(args(line)).isEqualTo(expected);
    }

    @Test
    void dottedKeysBuildNestedObjects() {
        assertThat(args("blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/tmp/d.img"
                + " file.aio.mode=native"))
                .isEqualTo("{\"driver\":\"qcow2\",\"node-name\":\"d0\",\"file\":{\"driver\":\"file\","
                        + "\"filename\":\"/tmp/d.img\",\"aio\":{\"mode\":\"native\"}}}");
    }

    @Test
    void aKeyGivenTwiceIsAnError() {
        assertThatThrownBy(() -> RequestParser.parse("x a=1 a=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'a' is given twice");
        assertThatThrownBy(() -> RequestParser.parse("x a.b=1 a.b=2"))
                .hasMessage("key 'a.b' is given twice");
    }

    @Test
    void aDottedKeyCannotExtendAValueGivenWhole() {
        assertThatThrownBy(() -> RequestParser.parse("x a=1 a.b=2"))
                .hasMessage("key 'a.b' conflicts with 'a', which is already set to 1");
        assertThatThrownBy(() -> RequestParser.parse("x a={\"c\":1} a.b=2"))
                .hasMessageContaining("key 'a.b' conflicts with 'a'");
        assertThatThrownBy(() -> RequestParser.parse("x a.b=2 a=1"))
                .hasMessage("key 'a' is given twice");
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"x novalue", "x =1", "x a..b=1", "x .a=1", "x a.=1", "x a=\"open", "x a='open",
        "x a=[1, 2", "x a=1]", "a=1 b=2", "\"quoted\" a=1"})
    void malformedLinesAreRejectedWithAMessage(String line) {
        assertThatThrownBy(() -> RequestParser.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void anEmptyLineIsRejected() {
        assertThatThrownBy(() -> RequestParser.parse("   ")).hasMessageStartingWith("empty input");
    }

    @Test
    void rawJsonCommandsAreAccepted() throws Exception {
        Request r = RequestParser.parse(
                "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info status\"}}");
        assertThat(r.command()).isEqualTo("human-monitor-command");
        assertThat((JsonNode) r.arguments()).isEqualTo(json("{\"command-line\":\"info status\"}"));
    }

    @Test
    void rawJsonWithoutArgumentsAndWithAnIdIsAccepted() {
        Request r = RequestParser.parse("{\"execute\":\"stop\",\"id\":\"abc\"}");
        assertThat(r.command()).isEqualTo("stop");
        assertThat(r.arguments()).isNull();
    }

    @ParameterizedTest(name = "rejects {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"execute\": \"stop\"                            | not valid JSON",
        "{\"arguments\": {}}                               | needs a string \"execute\" member",
        "{\"execute\": 5}                                  | needs a string \"execute\" member",
        "{\"execute\": \"\"}                               | needs a string \"execute\" member",
        "{\"execute\": \"x\", \"arguments\": [1]}          | \"arguments\" must be a JSON object, got array",
        "{\"execute\": \"x\", \"extra\": 1}                | unexpected member \"extra\"",
        "{\"exec-oob\": \"x\", \"id\": 1}                  | exec-oob is not supported",
        "{\"execute\": \"x\"} trailing                     | not valid JSON",
    })
    void malformedRawJsonIsRejectedWithAMessage(String line, String message) {
        assertThatThrownBy(() -> RequestParser.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void tokenizerKeepsQuotesAndBracketsTogether() {
        assertThat(RequestParser.tokenize("cmd a=\"x y\" b='p q' c={\"k\": [1, 2]}   d=e"))
                .containsExactly("cmd", "a=\"x y\"", "b='p q'", "c={\"k\": [1, 2]}", "d=e");
    }
}
