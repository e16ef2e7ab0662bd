package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.Backpressure;
import io.qmp4j.QmpBackpressureException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.Fault;
import io.qmp4j.testkit.ScriptedReply;
import io.qmp4j.testkit.WireLogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Pending-command limits (backpressure) and secret redaction, against the fake server. */
class LimitsAndSecretsTest {

    private static FakeQmpServer silentServer() throws Exception {
        FakeQmpServer server = new FakeQmpServer();
        server.start();
        for (int i = 0; i < 10; i++) {
            server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));
        }
        return server;
    }

    @Test
    void failPolicyRefusesTheCommandBeyondTheLimitWithoutSendingIt() throws Exception {
        try (FakeQmpServer server = silentServer();
                QmpConnection qmp = QmpConnection.builder(server.socketPath()).commandTimeout(Duration.ofSeconds(5))
                        .maxPendingCommands(3, Backpressure.FAIL).build()) {
            qmp.connect();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pending.add(qmp.executeAsync("query-status"));
            }
            assertThatThrownBy(() -> qmp.executeAsync("query-version")).isInstanceOf(QmpBackpressureException.class)
                    .hasMessageContaining("3 commands are already pending").hasMessageContaining("nothing was sent");
            qmp.close();
            pending.forEach(f -> assertThat(f).isCompletedExceptionally());
            assertThat(server.commandCount()).isEqualTo(4); // qmp_capabilities + 3; the refused one never left
        }
    }

    @Test
    void waitPolicyLetsTheCallerInWhenASlotFreesAndTimesOutOtherwise() throws Exception {
        try (FakeQmpServer server = silentServer();
                QmpConnection qmp = QmpConnection.builder(server.socketPath())
                        .maxPendingCommands(2, Backpressure.WAIT).build()) {
            qmp.connect();
            CompletableFuture<?> first = qmp.executeAsync("query-status", (com.fasterxml.jackson.databind.JsonNode) null,
                    Duration.ofMillis(300));
            qmp.executeAsync("query-status", (com.fasterxml.jackson.databind.JsonNode) null, Duration.ofSeconds(5));
            // Full: this waits until the first call times out (300 ms), then goes out.
            CompletableFuture<?> third = qmp.executeAsync("query-status",
                    (com.fasterxml.jackson.databind.JsonNode) null, Duration.ofSeconds(2));
            assertThat(first).isCompletedExceptionally();
            assertThat(third).isNotDone();
            // Full again, and nothing frees a slot within 200 ms.
            assertThatThrownBy(() -> qmp.execute("query-version", (com.fasterxml.jackson.databind.JsonNode) null,
                    Duration.ofMillis(200))).isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("pending-command slots").hasMessageContaining("nothing was sent");
        }
    }

    @Test
    void secretsNeverReachTheWireLogOrExceptionTexts() throws Exception {
        List<String> lines;
        try (WireLogCapture wire = WireLogCapture.start(); FakeQmpServer server = new FakeQmpServer()) {
            server.start();
            try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
                qmp.connect();
                QmpException e = org.junit.jupiter.api.Assertions.assertThrows(QmpException.class, () ->
                        qmp.execute("set_password", Map.of("protocol", "vnc", "password", "hunter2")));
                assertThat(e.toString()).doesNotContain("hunter2");
                try {
                    qmp.execute("human-monitor-command", Map.of("command-line", "set_password vnc hunter2"));
                } catch (QmpException ignored) {
                    // the fake's HMP may not know it; the request was logged either way
                }
            }
            lines = wire.messages();
        }
        assertThat(lines).anyMatch(l -> l.contains("set_password") && l.contains("<redacted>"));
        assertThat(lines).noneMatch(l -> l.contains("hunter2"));
        assertThat(lines).anyMatch(l -> l.contains(" -> ")); // replies are logged too (TRACE)
    }
}
