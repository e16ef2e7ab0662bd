package io.qmp4j.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QmpJsonTest {
    private static String request(String command, Object args) {
        return new String(QmpJson.request(command, args, null, false), StandardCharsets.UTF_8);
    }

    private static QmpMessage parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return QmpJson.parse(b, 0, b.length);
    }

    @Test
    void writesRequestsAsCompactJsonWithoutTerminator() {
        assertThat(request("query-status", null)).isEqualTo("{\"execute\":\"query-status\"}");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command-line", "info status");
        args.put("cpu-index", 0);
        assertThat(request("human-monitor-command", args))
                .isEqualTo("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info status\",\"cpu-index\":0}}");
    }

    @Test
    void writesJsonNodeArgumentsIdAndOob() {
        ObjectNode args = QmpJson.mapper().createObjectNode().put("enable", "x");
        String s = new String(QmpJson.request("qmp_capabilities", args, IntNode.valueOf(7), true), StandardCharsets.UTF_8);
        assertThat(s).isEqualTo("{\"exec-oob\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"x\"},\"id\":7}");
    }

    @Test
    void writesArgumentFreeRequestsExactlyAsJacksonDoes() throws Exception {
        for (String name : List.of("query-status", "qmp_capabilities", "x", "a\"b", "back\\slash", "tab\t",
                "caf\u00e9", "\u2603", "{}:,")) {
            for (boolean oob : List.of(false, true)) {
                var expected = QmpJson.mapper().createObjectNode().put(oob ? "exec-oob" : "execute", name);
                assertThat(new String(QmpJson.request(name, null, null, oob), StandardCharsets.UTF_8))
                        .as(name).isEqualTo(QmpJson.mapper().writeValueAsString(expected));
            }
        }
    }

    @Test
    void buildsTheSameTreeAsJacksonsDataBinding() throws Exception {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 2000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"name\":\"cmd-").append(i).append("\",\"n\":").append(i * 7919L)
                    .append(",\"meta\":{\"x\":[1,2.5,null,true,false,\"s\"]}}");
        }
        big.append(']');
        List<String> values = List.of("{}", "[]", "{\"status\": \"running\", \"singlestep\": false, \"running\": true}",
                "1", "-1", "2147483647", "2147483648", "-9223372036854775808", "9223372036854775808",
                "123456789012345678901234567890", "1.5", "-0.0", "1E2", "1e-7", "1e400", "0.1000000000000000055511151231257827",
                "\"\"", "\"caf\u00e9 \\u2603 \\\" \\n\"", "null", "true", "false", "[1,[2,[3,[4]]]]",
                "{\"a\": 1, \"b\": 2, \"a\": 3}", "{\"a\": {\"b\": {\"c\": [{}, [], {\"d\": null}]}}}", big.toString());
        for (String v : values) {
            byte[] line = ("{\"return\": " + v + ", \"id\": 7}").getBytes(StandardCharsets.UTF_8);
            QmpReturn ret = (QmpReturn) QmpJson.parse(line, 0, line.length);
            assertThat(ret.json()).as(v).isEqualTo(QmpJson.mapper().readTree(line));
            assertThat(ret.value().getNodeType()).as(v).isEqualTo(QmpJson.mapper().readTree(v).getNodeType());
        }
    }

    @Test
    void refusesTrailingTokensNonObjectsAndDeepNestingLikeBefore() {
        for (String bad : List.of("{\"return\": {}} {}", "{\"return\": {}} x", "{\"return\": {}", "{\"return\": tru}")) {
            byte[] line = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> QmpJson.parse(line, 0, line.length)).as(bad)
                    .isInstanceOf(io.qmp4j.QmpProtocolException.class).hasMessageStartingWith("message is not valid JSON");
        }
        for (String notObject : List.of("[1]", "42", "\"x\"", "null", "")) {
            byte[] line = notObject.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> QmpJson.parse(line, 0, line.length)).as(notObject)
                    .hasMessageStartingWith("message is not a JSON object");
        }
        byte[] deep = ("{\"return\": " + "[".repeat(1500) + "]".repeat(1500) + "}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> QmpJson.parse(deep, 0, deep.length))
                .hasMessageStartingWith("message exceeds a JSON limit");
    }

    @Test
    void escapesStringsInArguments() {
        assertThat(request("x", Map.of("k", "a\"b\n\u0001")))
                .isEqualTo("{\"execute\":\"x\",\"arguments\":{\"k\":\"a\\\"b\\n\\u0001\"}}");
    }

    @Test
    void rejectsBlankCommandsAndNonObjectArguments() {
        assertThatThrownBy(() -> request(" ", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank");
        assertThatThrownBy(() -> request("x", QmpJson.mapper().createArrayNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x: arguments must be a JSON object");
        assertThatThrownBy(() -> request("x", List.of(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JsonNode object or a Map");
    }

    @Test
    void parsesTheGreetingVersionAndCapabilities() {
        QmpGreeting g = (QmpGreeting) parse("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2,"
                + " \"major\": 7}, \"package\": \"Debian\"}, \"capabilities\": [\"oob\"]}}");
        assertThat(g.version()).isEqualTo(new QmpVersion(7, 2, 22, "Debian"));
        assertThat(g.version().isAtLeast(7, 2, 0)).isTrue();
        assertThat(g.version().isAtLeast(8, 0, 0)).isFalse();
        assertThat(g.version()).hasToString("7.2.22 (Debian)");
        assertThat(g.offers("oob")).isTrue();
        assertThat(g.capabilities()).containsExactly("oob");
    }

    @Test
    void parsesReturnWithAnyIdAndErrorWithIdFirst() {
        QmpReturn r = (QmpReturn) parse("{\"return\": {}, \"id\": {\"a\": 1}}");
        assertThat(r.value().isObject()).isTrue();
        assertThat(r.id().get("a").asInt()).isEqualTo(1);
        QmpError e = (QmpError) parse("{\"id\": 4, \"error\": {\"class\": \"GenericError\", \"desc\": \"boom\"}}");
        assertThat(e.errorClass()).isEqualTo("GenericError");
        assertThat(e.description()).isEqualTo("boom");
        assertThat(e.id().asInt()).isEqualTo(4);
        assertThat(((QmpReturn) parse("{\"return\": \"VM status: running\\r\\n\"}")).value().asText())
                .isEqualTo("VM status: running\r\n");
    }

    @Test
    void parsesEventsWithAndWithoutDataAndTimestamp() {
        QmpEvent stop = (QmpEvent) parse("{\"timestamp\": {\"seconds\": 1796267428, \"microseconds\": 666825},"
                + " \"event\": \"STOP\"}");
        assertThat(stop.name()).isEqualTo("STOP");
        assertThat(stop.data().isMissingNode()).isTrue();
        assertThat(stop.timestamp()).isEqualTo(Instant.ofEpochSecond(1796267428, 666_825_000));
        QmpEvent shutdown = (QmpEvent) parse("{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false}}");
        assertThat(shutdown.data().get("guest").asBoolean()).isFalse();
        assertThat(shutdown.timestamp()).isEqualTo(Instant.EPOCH);
        assertThat(shutdown.raw()).isEqualTo("{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false}}");
    }

    @Test
    void messagesAreValuesEqualByContent() {
        assertThat(parse("{\"return\": {}}")).isEqualTo(parse("{\"return\": {}}"));
        assertThat(parse("{\"return\": {}}")).isNotEqualTo(parse("{\"return\": 1}"));
        assertThat(((QmpGreeting) parse("{\"QMP\": {\"version\": {\"qemu\": {\"major\": 1}},"
                + " \"capabilities\": []}}")).capabilities()).isUnmodifiable();
    }
}
