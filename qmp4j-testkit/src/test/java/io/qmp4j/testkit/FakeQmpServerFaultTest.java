package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bytes each {@link Fault} puts on the wire, for the greeting and for replies. */
class FakeQmpServerFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GREETING =
            "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                    + "\"package\": \"qmp4j-fake\"}, \"capabilities\": [\"oob\"]}}";
    private static final Duration SILENCE = Duration.ofMillis(150);

    private FakeQmpServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---- greeting faults ----

    @Test
    void noGreetingSaysNothingButStillRecordsRequests() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.NO_GREETING));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            assertThat(client.staysSilentFor(SILENCE)).isTrue();
            client.send("{\"execute\":\"qmp_capabilities\"}");
            assertThat(server.takeCommand(PlainQmpClient.WAIT).name()).isEqualTo("qmp_capabilities");
            assertThat(client.staysSilentFor(SILENCE)).isTrue();
        }
    }

    @Test
    void badGreetingIsAnErrorObjectWithoutTheQmpKey() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.BAD_GREETING));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            JsonNode greeting = client.readJson();
            assertThat(greeting.has("QMP")).isFalse();
            assertThat(greeting.path("error").path("class").asText()).isEqualTo("GenericError");
        }
    }

    @Test
    void nonJsonGreetingIsTheHumanMonitorBanner() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.NON_JSON_GREETING));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            assertThat(client.readLine()).isEqualTo("QEMU 7.2.22 monitor - type 'help' for more information");
            assertThat(client.staysSilentFor(Duration.ofMillis(50))).isTrue();
            assertThat(client.pending()).isEqualTo("(qemu) ");
        }
    }

    @Test
    void greetingSplitAtEveryByteArrivesInManyReadsButIntact() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.SPLIT_AT_EVERY_BYTE));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            assertThat(client.readLine()).isEqualTo(GREETING);
            // ~30 ms of 0.2 ms gaps; one write would arrive in a single read
            assertThat(client.reads()).isGreaterThan(3);
        }
    }

    @Test
    void greetingSlowDripTakesOneIntervalPerByte() throws Exception {
        server =
                started(
                        FakeQmpServer.builder()
                                .greetingFault(Fault.SLOW_DRIP)
                                .slowDripInterval(Duration.ofMillis(2)));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            long start = System.nanoTime();
            assertThat(client.readLine()).isEqualTo(GREETING);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(2L * (GREETING.length() + 1)));
        }
    }

    @Test
    void greetingCloseMidMessageSendsHalfThenCloses() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.CLOSE_MID_MESSAGE));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            String half = client.readUntilClosed(PlainQmpClient.WAIT);
            assertThat(half).isEqualTo((GREETING + "\r\n").substring(0, (GREETING.length() + 2) / 2));
        }
    }

    @Test
    void oversizeGreetingIsAValidGreetingOfTheConfiguredLength() throws Exception {
        server =
                started(
                        FakeQmpServer.builder().greetingFault(Fault.OVERSIZE_LINE).oversizeLineBytes(200_000));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            String line = client.readLine();
            assertThat(line.length() + 2).isEqualTo(200_000);
            assertThat(JSON.readTree(line).path("QMP").path("version").path("package").asText())
                    .hasSize(200_000 - GREETING.length() - 2 + "qmp4j-fake".length())
                    .matches("x+");
            assertThat(client.call("{\"execute\":\"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"NON_JSON_REPLY", "NOT_AN_OBJECT_REPLY", "UNKNOWN_MESSAGE_REPLY", "CLOSE_AFTER_REQUEST",
                "NEVER_REPLY", "UNSOLICITED_ERROR", "DUPLICATE_REPLY"})
    void replyOnlyFaultsAreRejectedForTheGreeting(Fault fault) {
        assertThat(fault.appliesToGreeting()).isFalse();
        assertThatThrownBy(() -> FakeQmpServer.builder().greetingFault(fault))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fault.name());
    }

    // ---- reply faults ----

    @Test
    void nonJsonReplyIsAPlainTextLine() throws Exception {
        assertThat(replyWith(Fault.NON_JSON_REPLY)).isEqualTo("qmp4j FakeQmpServer: this line is not JSON");
    }

    @Test
    void notAnObjectReplyIsAJsonArray() throws Exception {
        assertThat(replyWith(Fault.NOT_AN_OBJECT_REPLY)).isEqualTo("[1, 2]");
    }

    @Test
    void unknownMessageReplyHasNeitherReturnNorErrorNorEvent() throws Exception {
        assertThat(replyWith(Fault.UNKNOWN_MESSAGE_REPLY)).isEqualTo("{\"unexpected\": {}, \"id\": 1}");
    }

    @Test
    void unsolicitedErrorPrecedesTheRealReply() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.UNSOLICITED_ERROR)) {
            assertThat(client.call("{\"execute\":\"x\",\"id\":1}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray ''\"}}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 1}");
        }
    }

    @Test
    void duplicateReplyIsSentTwice() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.DUPLICATE_REPLY)) {
            assertThat(client.call("{\"execute\":\"x\",\"id\":1}")).isEqualTo("{\"return\": {}, \"id\": 1}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 1}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).contains("running");
        }
    }

    @Test
    void replySplitAtEveryByteArrivesIntact() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.SPLIT_AT_EVERY_BYTE)) {
            int before = client.reads();
            assertThat(client.call("{\"execute\":\"x\",\"id\":\"abc\"}")).isEqualTo("{\"return\": {}, \"id\": \"abc\"}");
            assertThat(client.reads() - before).isGreaterThan(1);
        }
    }

    @Test
    void replySlowDripTakesOneIntervalPerByte() throws Exception {
        server = started(FakeQmpServer.builder().slowDripInterval(Duration.ofMillis(5)));
        server.enqueue(ScriptedReply.ofFault(Fault.SLOW_DRIP));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"x\"}");
            assertThat(client.staysSilentFor(Duration.ofMillis(30))).isFalse();
            assertThat(client.pending().length()).isBetween(1, 10);
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void replyCloseMidMessageSendsHalfThenCloses() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.CLOSE_MID_MESSAGE)) {
            client.send("{\"execute\":\"x\",\"id\":12}");
            String full = "{\"return\": {}, \"id\": 12}\r\n";
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEqualTo(full.substring(0, full.length() / 2));
        }
    }

    @Test
    void closeAfterRequestRecordsTheCommandAndClosesWithoutABbyte() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.CLOSE_AFTER_REQUEST)) {
            client.send("{\"execute\":\"x\"}");
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEmpty();
        }
        server.takeCommand(Duration.ZERO);
        assertThat(server.takeCommand(Duration.ZERO).name()).isEqualTo("x");
    }

    @Test
    void neverReplyKeepsTheConnectionOpenAndSilentButStillRecords() throws Exception {
        try (PlainQmpClient client = clientWithFault(Fault.NEVER_REPLY)) {
            client.send("{\"execute\":\"x\"}{\"execute\":\"query-status\"}");
            assertThat(client.staysSilentFor(SILENCE)).isTrue();
            assertThat(server.commandCount()).isEqualTo(3);
        }
    }

    @Test
    void oversizeReplyIsAValidReturnLineOfTheConfiguredLength() throws Exception {
        server = started(FakeQmpServer.builder().oversizeLineBytes(300_000));
        server.enqueue(ScriptedReply.ofFault(Fault.OVERSIZE_LINE));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            String line = client.call("{\"execute\":\"query-qmp-schema\",\"id\":7}");
            assertThat(line.length() + 2).isEqualTo(300_000);
            assertThat(line).startsWith("{\"return\": \"xxx").endsWith("xxx\", \"id\": 7}");
            assertThat(JSON.readTree(line).get("return").asText()).matches("x+");
            assertThat(client.call("{\"execute\":\"query-status\"}")).contains("running");
        }
    }

    @Test
    void defaultOversizeLineExceedsSixtyFourMebibytes() throws Exception {
        server = started(FakeQmpServer.builder().greetingFault(Fault.OVERSIZE_LINE));
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            long limit = 64L * 1024 * 1024;
            assertThat(client.countBytesUntilNewline(Duration.ofSeconds(5))).isGreaterThan(limit);
        }
    }

    @Test
    void greetingOnlyFaultsAreRejectedForReplies() {
        for (Fault fault : new Fault[] {Fault.NO_GREETING, Fault.BAD_GREETING, Fault.NON_JSON_GREETING}) {
            assertThat(fault.appliesToReply()).isFalse();
            assertThatThrownBy(() -> ScriptedReply.builder().fault(fault))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(fault.name());
        }
        assertThat(Arrays.stream(Fault.values()).filter(f -> !f.appliesToGreeting() && !f.appliesToReply()))
                .isEmpty();
    }

    private String replyWith(Fault fault) throws Exception {
        try (PlainQmpClient client = clientWithFault(fault)) {
            String line = client.call("{\"execute\":\"x\",\"id\":1}");
            assertThat(client.call("{\"execute\":\"query-status\"}"))
                    .as("the connection keeps working after " + fault)
                    .contains("running");
            return line;
        }
    }

    private PlainQmpClient clientWithFault(Fault fault) throws Exception {
        server = started(FakeQmpServer.builder());
        server.enqueue(ScriptedReply.ofFault(fault));
        return PlainQmpClient.negotiated(server.socketPath());
    }

    private static FakeQmpServer started(FakeQmpServer.Builder builder) throws Exception {
        FakeQmpServer server = builder.build();
        server.start();
        return server;
    }
}
