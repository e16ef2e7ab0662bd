package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scripted replies and dispatchers as seen from a client. */
class FakeQmpServerScriptingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeQmpServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scriptedRepliesAreConsumedInOrderThenQemuBehaviourResumes() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(ScriptedReply.ofReturnJson("[1, 2]"));
        server.enqueue(ScriptedReply.ofError("DeviceNotFound", "no 'disk0'"));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"a\",\"id\":1}")).isEqualTo("{\"return\": [1, 2], \"id\": 1}");
            assertThat(client.call("{\"execute\":\"b\",\"id\":2}"))
                    .isEqualTo("{\"id\": 2, \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"no 'disk0'\"}}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).contains("\"status\": \"running\"");
        }
    }

    @Test
    void unboundRepliesAreNotTakenByTheHandshake() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(ScriptedReply.ofReturnJson("\"scripted\""));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo("{\"return\": \"scripted\"}");
        }
    }

    @Test
    void boundReplyWaitsForItsCommandWhileLaterRepliesServeOthers() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(ScriptedReply.builder().forCommand("device_del").returnsJson("\"bound\"").build());
        server.enqueue(ScriptedReply.ofReturnJson("\"any\""));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"query-status\"}")).isEqualTo("{\"return\": \"any\"}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).contains("running");
            assertThat(client.call("{\"execute\":\"device_del\"}")).isEqualTo("{\"return\": \"bound\"}");
        }
    }

    @Test
    void boundReplyCanScriptTheHandshake() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(
                ScriptedReply.builder().forCommand("qmp_capabilities").error("GenericError", "nope").build());
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            assertThat(client.call("{\"execute\":\"qmp_capabilities\"}"))
                    .isEqualTo("{\"error\": {\"class\": \"GenericError\", \"desc\": \"nope\"}}");
            assertThat(client.call("{\"execute\":\"query-status\"}")).contains("Expecting capabilities");
            assertThat(client.call("{\"execute\":\"qmp_capabilities\"}")).isEqualTo("{\"return\": {}}");
        }
    }

    @Test
    void eventsAreWrittenBeforeAndAfterTheReply() throws Exception {
        server = started(new FakeQmpServer());
        ObjectNode data = JSON.createObjectNode().put("device", "disk0");
        server.enqueue(
                ScriptedReply.builder()
                        .eventBefore("JOB_STATUS_CHANGE", data)
                        .eventAfter("DEVICE_DELETED", null)
                        .build());
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"device_del\"}"))
                    .endsWith("\"event\": \"JOB_STATUS_CHANGE\", \"data\": {\"device\": \"disk0\"}}");
            assertThat(client.readLine()).isEqualTo("{\"return\": {}}");
            assertThat(client.readLine()).endsWith("\"event\": \"DEVICE_DELETED\"}");
        }
    }

    @Test
    void delayHoldsTheReplyBack() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(ScriptedReply.builder().delay(Duration.ofMillis(150)).build());
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            long start = System.nanoTime();
            assertThat(client.call("{\"execute\":\"x\"}")).isEqualTo("{\"return\": {}}");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void closeAfterReplyHangsUpLikeQuit() throws Exception {
        server = started(new FakeQmpServer());
        server.enqueue(ScriptedReply.builder().closeAfterReply().build());
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"x\"}")).isEqualTo("{\"return\": {}}");
            assertThat(client.readUntilClosed(PlainQmpClient.WAIT)).isEmpty();
        }
    }

    @Test
    void customDispatcherDecidesAndNullFallsBackToQemuBehaviour() throws Exception {
        QmpDispatcher dispatcher =
                command ->
                        command.name().equals("echo")
                                ? ScriptedReply.ofReturn(command.arguments())
                                : null;
        server = started(FakeQmpServer.builder().dispatcher(dispatcher).build());
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            assertThat(client.call("{\"execute\":\"echo\",\"arguments\":{\"a\":[true]}}"))
                    .isEqualTo("{\"return\": {\"a\": [true]}}");
            assertThat(client.call("{\"execute\":\"nope\"}")).contains("The command nope has not been found");
        }
        assertThatThrownBy(() -> server.enqueue(ScriptedReply.ofReturnJson("1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QueueDispatcher");
    }

    @Test
    void dispatcherFailureIsAnsweredWithAGenericError() throws Exception {
        QmpDispatcher failing = command -> {
            throw new IllegalStateException("boom");
        };
        server = started(FakeQmpServer.builder().dispatcher(failing).build());
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            assertThat(client.call("{\"execute\":\"qmp_capabilities\",\"id\":1}"))
                    .startsWith("{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": \"qmp4j FakeQmpServer: dispatcher failed")
                    .contains("boom");
        }
    }

    private static FakeQmpServer started(FakeQmpServer server) throws Exception {
        server.start();
        return server;
    }
}
