package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the server records, and when. */
class FakeQmpServerRecordingTest {
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
    void recordsEveryPartOfEachRequestInOrder() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"d\"},\"id\":4} \r\n{\"execute\":\"x\",\"id\":null}");
            client.readLine();
            client.readLine();
        }
        RecordedCommand handshake = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(handshake.name()).isEqualTo("qmp_capabilities");
        assertThat(handshake.sequence()).isZero();
        assertThat(handshake.arguments()).isNull();
        assertThat(handshake.id()).isNull();

        RecordedCommand deviceDel = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(deviceDel.name()).isEqualTo("device_del");
        assertThat(deviceDel.arguments().get("id").asText()).isEqualTo("d");
        assertThat(deviceDel.id().asInt()).isEqualTo(4);
        assertThat(deviceDel.raw()).isEqualTo("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"d\"},\"id\":4}");
        assertThat(deviceDel.sequence()).isEqualTo(1);
        assertThat(deviceDel.connectionIndex()).isZero();
        assertThat(deviceDel.outOfBand()).isFalse();

        RecordedCommand x = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(x.id()).isEqualTo(NullNode.getInstance());
        assertThat(server.commandCount()).isEqualTo(3);
    }

    @Test
    void recordsRejectedRequestsWithoutAName() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            client.call("[1,\"é\"]");
        }
        RecordedCommand array = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(array.name()).isNull();
        assertThat(array.raw()).isEqualTo("[1,\"é\"]");
        assertThat(array.request().isArray()).isTrue();
    }

    @Test
    void commandIsRecordedBeforeItsReplyIsWritten() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.call("{\"execute\":\"query-status\"}");
            assertThat(server.commandCount()).isEqualTo(2);
            server.takeCommand(Duration.ZERO);
            assertThat(server.takeCommand(Duration.ZERO)).isNotNull();
        }
    }

    @Test
    void takeCommandReturnsNullWhenNothingArrivesInTime() throws Exception {
        long start = System.nanoTime();
        assertThat(server.takeCommand(Duration.ofMillis(50))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void connectionIndexCountsConnections() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.call("{\"execute\":\"query-status\"}");
        }
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.call("{\"execute\":\"query-status\"}");
        }
        assertThat(server.takeCommand(PlainQmpClient.WAIT).connectionIndex()).isZero();
        server.takeCommand(PlainQmpClient.WAIT);
        RecordedCommand third = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(third.connectionIndex()).isEqualTo(1);
        assertThat(third.sequence()).isEqualTo(2);
    }

    @Test
    void recordedJsonCannotBeChangedFromOutside() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.call("{\"execute\":\"x\",\"arguments\":{\"a\":1}}");
        }
        server.takeCommand(PlainQmpClient.WAIT);
        RecordedCommand command = server.takeCommand(PlainQmpClient.WAIT);
        ((ObjectNode) command.arguments()).put("a", 2);
        ((ObjectNode) command.request()).put("execute", "y");
        assertThat(command.arguments().get("a").asInt()).isEqualTo(1);
        assertThat(command.name()).isEqualTo("x");
        assertThat(command.request().get("execute").asText()).isEqualTo("x");
    }

    @Test
    void outOfBandRequestsAreMarked() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.connect(server.socketPath())) {
            client.readLine();
            client.call("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}");
            client.call("{\"exec-oob\":\"migrate-pause\",\"id\":1}");
        }
        server.takeCommand(PlainQmpClient.WAIT);
        RecordedCommand oob = server.takeCommand(PlainQmpClient.WAIT);
        assertThat(oob.name()).isEqualTo("migrate-pause");
        assertThat(oob.outOfBand()).isTrue();
    }
}
