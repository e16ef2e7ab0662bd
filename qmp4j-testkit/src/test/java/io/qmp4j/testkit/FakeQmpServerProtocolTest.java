package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake server's default, QEMU-like behaviour. Expected texts are copied from QEMU 7.2.22
 * transcripts taken with socat (see FakeQmpServerTranscriptIT for the live comparison).
 */
class FakeQmpServerProtocolTest {
    private static final String NEEDS_CAPABILITIES =
            "{\"error\": {\"class\": \"CommandNotFound\", "
                    + "\"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}";
    private static final String RUNNING =
            "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}";
    private static final String PAUSED =
            "{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}}";
    private static final String EVENT_PREFIX =
            "\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+}, \"event\": ";

    private FakeQmpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeQmpServer();
        server.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void greetingIsOneQemuFormattedLine() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            assertThat(client.readLine())
                    .isEqualTo(
                            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                                    + "\"package\": \"qmp4j-fake\"}, \"capabilities\": [\"oob\"]}}");
            assertThat(client.pending()).isEmpty();
        }
    }

    @Test
    void greetingUsesConfiguredVersionPackageAndCapabilities() throws Exception {
        try (FakeQmpServer custom =
                        startAndReturn(
                                FakeQmpServer.builder().version(8, 1, 3).packageName("v8.1.3-é").capabilities().build());
                PlainQmpClient client = PlainQmpClient.connect(custom.socketPath())) {
            assertThat(client.readLine())
                    .isEqualTo(
                            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 3, \"minor\": 1, \"major\": 8}, "
                                    + "\"package\": \"v8.1.3-\\u00E9\"}, \"capabilities\": []}}");
            assertThat(client.call("{\"execute\":\"qmp_capabilities\"}{\"execute\":\"query-version\"}"))
                    .isEqualTo("{\"return\": {}}");
            assertThat(client.readLine())
                    .isEqualTo(
                            "{\"return\": {\"qemu\": {\"micro\": 3, \"minor\": 1, \"major\": 8}, "
                                    + "\"package\": \"v8.1.3-\\u00E9\"}}");
        }
    }

    @Test
    void commandsBeforeNegotiationFailWithCommandNotFound() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo(NEEDS_CAPABILITIES);
            assertThat(client.call("{\"execute\":\"no-such-command\",\"id\":1}"))
                    .isEqualTo(
                            "{\"id\": 1, \"error\": {\"class\": \"CommandNotFound\", "
                                    + "\"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}");
        }
    }

    @Test
    void negotiationRejectsCapabilitiesWithQemuTexts() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"foo\"]},\"id\":\"x\"}"))
                    .isEqualTo(
                            "{\"id\": \"x\", \"error\": {\"class\": \"GenericError\", "
                                    + "\"desc\": \"Parameter 'null' does not accept value 'foo'\"}}");
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", "
                                    + "\"desc\": \"Invalid parameter type for 'enable', expected: array\"}}");
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"foo\":1}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'foo' is unexpected\"}}");
            assertThat(client.call("{\"execute\":\"query-status\"}"))
                    .as("failed negotiations leave the connection in negotiation mode")
                    .isEqualTo(NEEDS_CAPABILITIES);
        }
    }

    @Test
    void negotiationRejectsKnownCapabilityThatIsNotOffered() throws Exception {
        try (FakeQmpServer noOob = startAndReturn(FakeQmpServer.builder().capabilities().build());
                PlainQmpClient client = PlainQmpClient.connect(noOob.socketPath())) {
            client.readLine();
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Capability oob not available\"}}");
        }
    }

    @Test
    void secondNegotiationFailsLikeQemu() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"id\":4}"))
                    .isEqualTo(
                            "{\"id\": 4, \"error\": {\"class\": \"CommandNotFound\", "
                                    + "\"desc\": \"Capabilities negotiation is already complete, command ignored\"}}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo(RUNNING);
        }
    }

    @Test
    void idIsEchoedWhateverItsJsonType() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"stop\",\"id\":7}")).endsWith("\"event\": \"STOP\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 7}");
            assertThat(client.call("{\"execute\":\"cont\",\"id\":\"abc\"}")).contains("RESUME");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": \"abc\"}");
            assertThat(client.call("{\"execute\":\"query-commands\",\"id\":{\"a\":[1,null]}}"))
                    .endsWith("\"id\": {\"a\": [1, null]}}");
            assertThat(client.call("{\"execute\":\"query-status\",\"id\":null}"))
                    .isEqualTo(RUNNING.replace("}}", "}, \"id\": null}"));
            assertThat(client.call("{\"execute\":\"nope\",\"id\":[\"z\"]}"))
                    .isEqualTo(
                            "{\"id\": [\"z\"], \"error\": {\"class\": \"CommandNotFound\", "
                                    + "\"desc\": \"The command nope has not been found\"}}");
        }
    }

    @Test
    void backToBackRequestsWithoutTerminatorsAreAnsweredInOrder() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            client.send(
                    "{\"execute\":\"qmp_capabilities\"}{\"execute\":\"query-status\",\"id\":1}"
                            + "  \r\n{\"execute\":\"query-status\",\"id\":2}\n\t{\"execute\":\"query-status\",\"id\":3}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(client.readLine()).endsWith("\"id\": 1}");
            assertThat(client.readLine()).endsWith("\"id\": 2}");
            assertThat(client.readLine()).endsWith("\"id\": 3}");
        }
    }

    @Test
    void requestSplitAcrossWritesIsAnsweredOnceComplete() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"query-");
            assertThat(client.staysSilentFor(Duration.ofMillis(50))).isTrue();
            client.send("status\"}");
            assertThat(client.readLine()).isEqualTo(RUNNING);
        }
    }

    @Test
    void stopAndContEmitTheirEventBeforeTheReplyOnlyWhenTheStateChanges() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"stop\"}")).matches(EVENT_PREFIX + "\"STOP\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(client.call("{\"execute\":\"stop\"}")).isEqualTo("{\"return\": {}}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo(PAUSED);
            assertThat(client.call("{\"execute\":\"cont\"}")).matches(EVENT_PREFIX + "\"RESUME\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(client.call("{\"execute\":\"cont\"}")).isEqualTo("{\"return\": {}}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo(RUNNING);
        }
    }

    @Test
    void runStateOutlivesTheConnection() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.call("{\"execute\":\"stop\"}");
            client.readLine();
        }
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo(PAUSED);
        }
    }

    @Test
    void quitEmitsShutdownThenRepliesThenCloses() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"quit\",\"id\":9}{\"execute\":\"query-status\"}");
            assertThat(client.readLine())
                    .matches(
                            EVENT_PREFIX + "\"SHUTDOWN\", \"data\": \\{\"guest\": false, \"reason\": \"host-qmp-quit\"}}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 9}");
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEmpty();
        }
        try (PlainQmpClient next = PlainQmpClient.connect(server.socketPath())) {
            assertThat(next.readLine()).startsWith("{\"QMP\"");
        }
    }

    @Test
    void queryVersionAndQueryCommandsDescribeTheFake() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"query-version\"}"))
                    .isEqualTo(
                            "{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                                    + "\"package\": \"qmp4j-fake\"}}");
            assertThat(client.call("{\"execute\":\"query-commands\"}"))
                    .startsWith("{\"return\": [{\"name\": \"qmp_capabilities\"}, {\"name\": \"query-status\"}")
                    .contains("{\"name\": \"human-monitor-command\"}");
        }
    }

    @Test
    void humanMonitorCommandAnswersLikeQemu() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(hmp(client, "info status")).isEqualTo("{\"return\": \"VM status: running\\r\\n\"}");
            assertThat(hmp(client, "stop")).matches(EVENT_PREFIX + "\"STOP\"}");
            assertThat(client.readLine()).isEqualTo("{\"return\": \"\"}");
            assertThat(hmp(client, "  info   status ")).isEqualTo("{\"return\": \"VM status: paused\\r\\n\"}");
            assertThat(hmp(client, "info version")).isEqualTo("{\"return\": \"7.2.22qmp4j-fake\\r\\n\"}");
            assertThat(hmp(client, "bogus x")).isEqualTo("{\"return\": \"unknown command: 'bogus'\\r\\n\"}");
            assertThat(hmp(client, "info foo")).isEqualTo("{\"return\": \"unknown command: 'info foo'\\r\\n\"}");
            assertThat(client.call("{\"execute\":\"human-monitor-command\",\"arguments\":{}}"))
                    .isEqualTo(
                            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'command-line' is missing\"}}");
        }
    }

    @Test
    void unknownCommandAndUnexpectedParameterFailLikeQemu() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"nope\",\"id\":5}"))
                    .isEqualTo(
                            "{\"id\": 5, \"error\": {\"class\": \"CommandNotFound\", "
                                    + "\"desc\": \"The command nope has not been found\"}}");
            assertThat(client.call("{\"execute\":\"quit\",\"arguments\":{\"a\":1}}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'a' is unexpected\"}}");
            assertThat(client.isClosedByServer()).isFalse();
        }
    }

    @Test
    void malformedRequestsGetQemusInputErrors() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("[1,2]")).isEqualTo(generic("QMP input must be a JSON object"));
            assertThat(client.call("{\"foo\":1}")).isEqualTo(generic("QMP input member 'foo' is unexpected"));
            assertThat(client.call("{\"execute\":1}"))
                    .isEqualTo(generic("QMP input member 'execute' must be a string"));
            assertThat(client.call("{\"execute\":\"query-status\",\"arguments\":[1]}"))
                    .isEqualTo(generic("QMP input member 'arguments' must be an object"));
            assertThat(client.call("{\"id\":8}"))
                    .isEqualTo(
                            "{\"id\": 8, \"error\": {\"class\": \"GenericError\", "
                                    + "\"desc\": \"QMP input lacks member 'execute'\"}}");
            assertThat(client.call("{\"exec-oob\":\"query-status\",\"id\":5}"))
                    .as("exec-oob is only legal once oob was enabled")
                    .isEqualTo(
                            "{\"id\": 5, \"error\": {\"class\": \"GenericError\", "
                                    + "\"desc\": \"QMP input member 'exec-oob' is unexpected\"}}");
        }
    }

    @Test
    void execOobIsAcceptedOnlyAfterEnablingOob() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            client.send("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(client.call("{\"exec-oob\":\"query-status\",\"id\":7}"))
                    .isEqualTo(
                            "{\"id\": 7, \"error\": {\"class\": \"GenericError\", "
                                    + "\"desc\": \"The command query-status does not support OOB\"}}");
            assertThat(client.call("{\"exec-oob\":\"x\",\"execute\":\"y\"}"))
                    .isEqualTo(generic("QMP input member 'execute' clashes with 'exec-oob'"));
        }
    }

    @Test
    void invalidJsonIsAnsweredWithAParseErrorAndTheConnectionCloses() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{bad}");
            assertThat(client.readLine()).startsWith("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, ");
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEmpty();
        }
    }

    @Test
    void aLaterConnectionIsServedOnlyAfterTheEarlierOneCloses() throws Exception {
        PlainQmpClient first = PlainQmpClient.negotiated(server.socketPath());
        try (PlainQmpClient second = PlainQmpClient.connect(server.socketPath())) {
            assertThat(second.staysSilentFor(Duration.ofMillis(100))).isTrue();
            first.close();
            assertThat(second.readLine()).startsWith("{\"QMP\"");
            assertThat(server.connectionCount()).isEqualTo(2);
        }
    }

    private static String hmp(PlainQmpClient client, String commandLine) throws Exception {
        return client.call(
                "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"" + commandLine + "\"}}");
    }

    private static String generic(String desc) {
        return "{\"error\": {\"class\": \"GenericError\", \"desc\": \"" + desc + "\"}}";
    }

    private static FakeQmpServer startAndReturn(FakeQmpServer server) throws Exception {
        server.start();
        return server;
    }
}
