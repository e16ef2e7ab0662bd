package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpValidationException;
import io.qmp4j.QmpValidationException.Kind;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.RecordedCommand;
import io.qmp4j.testkit.ScriptedReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Validation before send, proven by what the fake server received: invalid calls never leave the client. */
class ValidationBeforeSendTest {
    /** A small schema in QEMU 7.2's shape: an enum, a flat union, an alternate and an array. */
    static final String SCHEMA = """
            [{"name":"query-status","ret-type":"1","meta-type":"command","arg-type":"0"},
             {"name":"human-monitor-command","ret-type":"str","meta-type":"command","arg-type":"2"},
             {"name":"blockdev-add","ret-type":"0","meta-type":"command","arg-type":"3"},
             {"name":"0","members":[],"meta-type":"object"},
             {"name":"1","members":[{"name":"running","type":"bool"},{"name":"status","type":"4"}],"meta-type":"object"},
             {"name":"2","members":[{"name":"command-line","type":"str"},{"name":"cpu-index","default":null,"type":"int"}],"meta-type":"object"},
             {"name":"3","tag":"driver","variants":[{"case":"null-co","type":"5"}],"members":[{"name":"driver","type":"6"},{"name":"node-name","default":null,"type":"str"},{"name":"backing","default":null,"type":"7"}],"meta-type":"object"},
             {"name":"4","meta-type":"enum","values":["running","paused"]},
             {"name":"5","members":[{"name":"size","default":null,"type":"int"},{"name":"sizes","default":null,"type":"[int]"}],"meta-type":"object"},
             {"name":"6","meta-type":"enum","values":["null-co","raw"]},
             {"name":"7","members":[{"type":"str"},{"type":"null"}],"meta-type":"alternate"},
             {"name":"[int]","element-type":"int","meta-type":"array"},
             {"name":"str","meta-type":"builtin","json-type":"string"},
             {"name":"int","meta-type":"builtin","json-type":"int"},
             {"name":"bool","meta-type":"builtin","json-type":"boolean"},
             {"name":"null","meta-type":"builtin","json-type":"null"}]""";
    private static final Duration WAIT = Duration.ofSeconds(2);

    private FakeQmpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeQmpServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private QmpConnection connectValidating() throws Exception {
        server.enqueue(ScriptedReply.builder().forCommand("query-qmp-schema").returnsJson(SCHEMA).build());
        QmpConnection qmp = QmpConnection.builder(server.socketPath()).validateCommands(true).build();
        qmp.connect();
        assertThat(server.takeCommand(WAIT).name()).isEqualTo("qmp_capabilities");
        assertThat(server.takeCommand(WAIT).name()).isEqualTo("query-qmp-schema");
        return qmp;
    }

    private static Map<String, Object> args(String json) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = new ObjectMapper().readValue(json.replace('\'', '"'), Map.class);
        return map;
    }

    @Test
    void everyKindOfInvalidCallIsRejectedWithoutSendingAnything() throws Exception {
        try (QmpConnection qmp = connectValidating()) {
            record Case(String command, String args, Kind kind, String path) {
            }
            List<Case> cases = List.of(
                    new Case("query-stauts", "{}", Kind.UNKNOWN_COMMAND, "execute"),
                    new Case("human-monitor-command", "{'command_line': 'x'}", Kind.UNKNOWN_ARGUMENT, "arguments.command_line"),
                    new Case("human-monitor-command", "{}", Kind.MISSING_ARGUMENT, "arguments.command-line"),
                    new Case("human-monitor-command", "{'command-line': 5}", Kind.WRONG_TYPE, "arguments.command-line"),
                    new Case("blockdev-add", "{'driver': 'null'}", Kind.BAD_ENUM_VALUE, "arguments.driver"),
                    new Case("blockdev-add", "{'driver': 'raw', 'backing': 1}", Kind.NO_ALTERNATE_BRANCH, "arguments.backing"),
                    new Case("blockdev-add", "{'driver': 'null-co', 'sizes': [1, 'x']}", Kind.WRONG_TYPE, "arguments.sizes[1]"));
            for (Case c : cases) {
                Map<String, Object> a = args(c.args());
                assertThatThrownBy(() -> qmp.execute(c.command(), a))
                        .isInstanceOfSatisfying(QmpValidationException.class, e -> {
                            assertThat(e.kind()).isEqualTo(c.kind());
                            assertThat(e.path()).isEqualTo(c.path());
                        });
                assertThatThrownBy(() -> qmp.executeAsync(c.command(), a)).isInstanceOf(QmpValidationException.class);
            }
            assertThat(qmp.execute("query-status").get("status").asText()).isEqualTo("running");
            RecordedCommand next = server.takeCommand(WAIT);
            assertThat(next.name()).isEqualTo("query-status");
            assertThat(server.commandCount()).isEqualTo(3);
            assertThat(qmp.state()).isEqualTo(ConnectionState.RUNNING);
        }
    }

    @Test
    void validCallsAreSentUnchanged() throws Exception {
        try (QmpConnection qmp = connectValidating()) {
            assertThat(qmp.execute("human-monitor-command", args("{'command-line': 'info status'}")).asText())
                    .startsWith("VM status: running");
            assertThat(server.takeCommand(WAIT).raw())
                    .isEqualTo("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info status\"}}");
        }
    }

    @Test
    void withoutValidationTheCommandGoesToQemu() throws Exception {
        try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
            qmp.connect();
            assertThatThrownBy(() -> qmp.execute("query-stauts")).isInstanceOf(QmpCommandNotFoundException.class);
            server.takeCommand(WAIT);
            assertThat(server.takeCommand(WAIT).name()).isEqualTo("query-stauts");
        }
    }

    @Test
    void theSchemaIsFetchedOnceAndCached() throws Exception {
        server.enqueue(ScriptedReply.builder().forCommand("query-qmp-schema").returnsJson(SCHEMA).build());
        try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
            qmp.connect();
            assertThat(qmp.schema()).isSameAs(qmp.schema());
            assertThat(qmp.schema().supports("blockdev-add", "size")).isTrue();
            assertThat(server.commandCount()).isEqualTo(2);
        }
    }

    @Test
    void aValidatingConnectFailsCleanlyWhenQemuHasNoSchemaAndMayBeRetried() {
        QmpConnection qmp = QmpConnection.builder(server.socketPath()).validateCommands(true).build();
        assertThatThrownBy(qmp::connect).isInstanceOf(QmpCommandNotFoundException.class)
                .hasMessageContaining("query-qmp-schema");
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        server.enqueue(ScriptedReply.builder().forCommand("query-qmp-schema").returnsJson(SCHEMA).build());
        qmp.connect(); // a failed connect() may be retried
        assertThat(qmp.schema().supports("query-status")).isTrue();
        qmp.close();
    }
}
