package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events emitted on demand by the test. */
class FakeQmpServerEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeQmpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = FakeQmpServer.builder().slowDripInterval(Duration.ofMillis(3)).build();
        server.start();
    }

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void emittedEventHasQemusLayoutAndCurrentTimestamp() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            long before = Instant.now().getEpochSecond();
            assertThat(server.emitEvent("DEVICE_DELETED", JSON.readTree("{\"device\":\"nic0\",\"path\":\"/x\"}")))
                    .isTrue();
            String line = client.readLine();
            assertThat(line)
                    .matches(
                            "\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d{1,6}}, \"event\": \"DEVICE_DELETED\", "
                                    + "\"data\": \\{\"device\": \"nic0\", \"path\": \"/x\"}}");
            long seconds = JSON.readTree(line).path("timestamp").path("seconds").asLong();
            assertThat(seconds).isBetween(before, before + 5);
        }
    }

    @Test
    void eventWithoutDataHasNoDataMember() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            server.emitEvent("POWERDOWN", null);
            assertThat(JSON.readTree(client.readLine()).has("data")).isFalse();
        }
    }

    @Test
    void emitEventWithoutAClientReturnsFalse() {
        assertThat(server.emitEvent("STOP", null)).isFalse();
        assertThat(server.emitEvents("STOP", 3)).isZero();
    }

    @Test
    void eventIsDeliveredWhileACommandIsLeftUnanswered() throws Exception {
        server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"blockdev-backup\",\"id\":1}");
            assertThat(server.takeCommand(PlainQmpClient.WAIT)).isNotNull();
            assertThat(server.takeCommand(PlainQmpClient.WAIT).name()).isEqualTo("blockdev-backup");
            assertThat(server.emitEvent("BLOCK_JOB_READY", null)).isTrue();
            assertThat(client.readLine()).endsWith("\"event\": \"BLOCK_JOB_READY\"}");
            assertThat(client.staysSilentFor(Duration.ofMillis(100))).isTrue();
        }
    }

    @Test
    void stormArrivesCompleteAndInOrder() throws Exception {
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            CountDownLatch done = new CountDownLatch(1);
            int[] written = new int[1];
            Thread emitter = new Thread(() -> {
                written[0] = server.emitEvents("RTC_CHANGE", 2000);
                done.countDown();
            });
            emitter.start();
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                JsonNode event = JSON.readTree(client.readLine());
                assertThat(event.path("event").asText()).isEqualTo("RTC_CHANGE");
                indexes.add(event.path("data").path("index").asInt());
            }
            assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(written[0]).isEqualTo(2000);
            assertThat(indexes).isSorted().first().isEqualTo(0);
            assertThat(indexes).last().isEqualTo(1999);
        }
    }

    @Test
    void eventNeverPrecedesOrSplitsTheGreeting() throws Exception {
        try (FakeQmpServer dripping =
                FakeQmpServer.builder()
                        .greetingFault(Fault.SLOW_DRIP)
                        .slowDripInterval(Duration.ofMillis(1))
                        .build()) {
            dripping.start();
            try (PlainQmpClient client = PlainQmpClient.connect(dripping.socketPath())) {
                long deadline = System.nanoTime() + PlainQmpClient.WAIT.toNanos();
                while (!dripping.emitEvent("EARLY", null)) {
                    assertThat(System.nanoTime()).as("connection accepted in time").isLessThan(deadline);
                    Thread.sleep(1);
                }
                assertThat(client.readLine()).startsWith("{\"QMP\"");
                assertThat(client.readLine()).endsWith("\"event\": \"EARLY\"}");
            }
        }
    }

    @Test
    void eventsNeverLandInsideASlowReply() throws Exception {
        server.enqueue(ScriptedReply.ofFault(Fault.SLOW_DRIP));
        try (PlainQmpClient client = PlainQmpClient.negotiated(server.socketPath())) {
            client.send("{\"execute\":\"x\",\"id\":1}");
            assertThat(client.staysSilentFor(Duration.ofMillis(200))).isFalse(); // the drip has begun
            assertThat(server.emitEvent("STOP", null)).isTrue(); // waits for the reply to finish
            assertThat(client.readLine()).isEqualTo("{\"return\": {}, \"id\": 1}");
            assertThat(client.readLine()).endsWith("\"event\": \"STOP\"}");
        }
    }
}
