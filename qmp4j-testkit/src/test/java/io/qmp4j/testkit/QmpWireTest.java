package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QEMU's output format; expected strings are copied from QEMU 7.2.22 transcripts. */
class QmpWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void separatorsAreCommaSpaceAndColonSpaceAndEmptyContainersStayTight() throws Exception {
        assertThat(QmpWire.text(JSON.readTree("{\"a\":{},\"b\":[],\"c\":[1,{\"d\":null}],\"e\":true}")))
                .isEqualTo("{\"a\": {}, \"b\": [], \"c\": [1, {\"d\": null}], \"e\": true}");
    }

    @Test
    void nonAsciiIsEscapedWithUpperCaseHexAndSlashIsNot() {
        // QEMU: {"desc": "The command \u00E9/x\u0001\t\"q\u20AC\uD83D\uDE00 has not been found"}
        String name = "é/x\u0001\t\"q€\uD83D\uDE00";
        assertThat(QmpWire.text(QmpWire.errorMessage("CommandNotFound", "The command " + name + " has not been found", null)))
                .isEqualTo(
                        "{\"error\": {\"class\": \"CommandNotFound\", "
                                + "\"desc\": \"The command \\u00E9/x\\u0001\\t\\\"q\\u20AC\\uD83D\\uDE00 has not been found\"}}");
    }

    @Test
    void lineEndsInCrLfAndIsAscii() {
        byte[] line = QmpWire.line(QmpWire.returnMessage(TextNode.valueOf("ü"), null));
        assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("{\"return\": \"\\u00FC\"}\r\n");
    }

    @Test
    void returnPutsIdLastAndErrorPutsIdFirst() {
        assertThat(QmpWire.text(QmpWire.returnMessage(JSON.createObjectNode(), IntNode.valueOf(6))))
                .isEqualTo("{\"return\": {}, \"id\": 6}");
        assertThat(QmpWire.text(QmpWire.errorMessage("GenericError", "d", IntNode.valueOf(4))))
                .isEqualTo("{\"id\": 4, \"error\": {\"class\": \"GenericError\", \"desc\": \"d\"}}");
    }

    @Test
    void eventHasTimestampThenEventThenData() {
        Instant at = Instant.ofEpochSecond(1796267492, 57_366_999);
        assertThat(QmpWire.text(QmpWire.event("STOP", null, at)))
                .isEqualTo("{\"timestamp\": {\"seconds\": 1796267492, \"microseconds\": 57366}, \"event\": \"STOP\"}");
        assertThat(QmpWire.text(QmpWire.event("X", IntNode.valueOf(1), at))).endsWith("\"event\": \"X\", \"data\": 1}");
    }

    @Test
    void greetingMatchesQemuLayout() {
        assertThat(QmpWire.text(QmpWire.greeting(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u18+b3", List.of("oob"))))
                .isEqualTo(
                        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                                + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}");
    }
}
