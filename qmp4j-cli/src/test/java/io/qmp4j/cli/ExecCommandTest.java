package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.message.QmpJson;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.Fault;
import io.qmp4j.testkit.RecordedCommand;
import io.qmp4j.testkit.ScriptedReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private FakeQmpServer server;
    private String socket;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeQmpServer();
        server.start();
        socket = server.socketPath().toString();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** The first command after the handshake. */
    private RecordedCommand takeCommandAfterHandshake() throws InterruptedException {
        RecordedCommand first = server.takeCommand(WAIT);
        assertThat(first).isNotNull();
        assertThat(first.name()).isEqualTo("qmp_capabilities");
        return server.takeCommand(WAIT);
    }

    @Test
    void printsTheReturnValueAsCompactJsonAndExitsZero() throws Exception {
        CliRunner.Result r = CliRunner.run("exec", "--socket", socket, "--no-validate", "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("{\"status\":\"running\",\"singlestep\":false,\"running\":true}\n");
        assertThat(r.err()).isEmpty();
        RecordedCommand sent = takeCommandAfterHandshake();
        assertThat(sent.name()).isEqualTo("query-status");
        assertThat(sent.arguments()).isNull();
    }

    @Test
    void sendsTheArgumentsObjectAsGiven() throws Exception {
        server.enqueue(ScriptedReply.ofReturnJson("\"VM status: running\\r\\n\""));

        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "human-monitor-command",
                "{\"command-line\": \"info status\", \"cpu-index\": 0}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("\"VM status: running\\r\\n\"\n");
        RecordedCommand sent = takeCommandAfterHandshake();
        assertThat(sent.name()).isEqualTo("human-monitor-command");
        assertThat(sent.arguments()).isEqualTo(QmpJson.mapper().readTree(
                "{\"command-line\":\"info status\",\"cpu-index\":0}"));
    }

    @Test
    void prettyPrintsOnRequest() {
        server.enqueue(ScriptedReply.ofReturnJson("{\"a\":[1,2],\"b\":{},\"c\":[]}"));

        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "--pretty", "x-anything");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}\n");
    }

    @Test
    void aQmpErrorIsPrintedAsClassAndDescriptionWithExitThree() throws Exception {
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "no-such-command");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("CommandNotFound: The command no-such-command has not been found\n");
        assertThat(takeCommandAfterHandshake().name()).isEqualTo("no-such-command");
    }

    @Test
    void aScriptedErrorKeepsItsClass() {
        server.enqueue(ScriptedReply.ofError("DeviceNotFound", "Device 'nic9' not found"));

        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "device_del", "{\"id\":\"nic9\"}");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("DeviceNotFound: Device 'nic9' not found\n");
    }

    @Test
    void aMissingSocketIsAConnectionFailureWithExitFour(@TempDir Path dir) {
        Path missing = dir.resolve("missing.sock");

        CliRunner.Result r = CliRunner.run("exec", "-s", missing.toString(), "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("qmp4j: cannot connect to QMP socket " + missing)
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void aFileThatIsNotASocketIsAConnectionFailure(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");

        CliRunner.Result r = CliRunner.run("exec", "-s", file.toString(), "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: ").hasLineCount(1);
    }

    @Test
    void argumentsThatAreNotJsonAreAUsageErrorAndNothingIsSent() {
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "query-status", "{bad json");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("ARGUMENTS_JSON is not valid JSON").contains("Usage: qmp4j exec");
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void argumentsThatAreNotAnObjectAreAUsageError() {
        for (String notAnObject : new String[] {"[1,2]", "42", "\"text\"", "null", ""}) {
            CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "query-status", notAnObject);

            assertThat(r.exitCode()).as(notAnObject).isEqualTo(2);
            assertThat(r.err()).as(notAnObject).contains("ARGUMENTS_JSON must be a JSON object");
        }
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aMissingCommandOrSocketIsAUsageError() {
        assertThat(CliRunner.run("exec", "-s", socket, "--no-validate").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("exec", "query-status").err()).contains("Missing required option: '--socket=ADDR'");
        assertThat(CliRunner.run("exec", "-s", socket, "--no-validate", " ").exitCode()).isEqualTo(2);
        assertThat(CliRunner.run("exec", "-s", socket, "--no-validate", "a", "{}", "extra").exitCode()).isEqualTo(2);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aBadTimeoutIsAUsageError() {
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "--timeout", "5x", "query-status");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--timeout': '5x' is not a duration");
    }

    @Test
    void aReplyThatNeverComesIsATimeoutWithExitFour() {
        server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));

        long start = System.nanoTime();
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "--timeout", "300ms", "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: timeout: query-status: no reply within 300 ms").hasLineCount(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aReplyThatIsNotJsonIsAProtocolErrorWithExitFour() {
        server.enqueue(ScriptedReply.ofFault(Fault.NON_JSON_REPLY));

        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: ").contains("not valid JSON");
    }

    @Test
    void aConnectionClosedDuringTheCommandIsExitFour() {
        server.enqueue(ScriptedReply.ofFault(Fault.CLOSE_AFTER_REQUEST));

        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "query-status");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: connection closed");
    }

    @Test
    void aServerThatNeverGreetsIsExitFour() throws Exception {
        try (FakeQmpServer silent = FakeQmpServer.builder().greetingFault(Fault.NO_GREETING).build()) {
            silent.start();

            CliRunner.Result r = CliRunner.run("exec", "-s", silent.socketPath().toString(), "--timeout", "300ms",
                    "query-status");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).startsWith("qmp4j: timeout: no QMP greeting");
        }
    }

    @Test
    void noOobDoesNotEnableTheCapability() throws Exception {
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "--no-oob", "query-status");

        assertThat(r.exitCode()).isEqualTo(0);
        RecordedCommand negotiation = server.takeCommand(WAIT);
        assertThat(negotiation.name()).isEqualTo("qmp_capabilities");
        assertThat(negotiation.arguments()).isNull();
    }

    @Test
    void oobIsEnabledByDefaultWhenOffered() throws Exception {
        CliRunner.Result r = CliRunner.run("exec", "-s", socket, "--no-validate", "query-status");

        assertThat(r.exitCode()).isEqualTo(0);
        RecordedCommand negotiation = server.takeCommand(WAIT);
        assertThat(negotiation.raw()).isEqualTo("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}");
    }
}
