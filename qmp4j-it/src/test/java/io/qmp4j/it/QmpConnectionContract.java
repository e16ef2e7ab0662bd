package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpStateException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour that must be the same against real QEMU and against the fake server: written once,
 * run by {@code FakeQmpServerContractTest} (unit phase) and {@code QemuContractIT} (real QEMU).
 * That is what keeps the fake server honest.
 */
abstract class QmpConnectionContract {
    static final Duration T = Duration.ofSeconds(5);
    QmpConnection qmp;

    /** Starts the server under test and returns its monitor socket. */
    abstract Path startServer() throws Exception;

    /** Stops the server under test. */
    abstract void stopServer() throws Exception;

    @BeforeEach
    void connect() throws Exception {
        qmp = QmpConnection.builder(startServer()).commandTimeout(T).build();
        qmp.connect();
    }

    @AfterEach
    void close() throws Exception {
        qmp.close();
        stopServer();
    }

    @Test
    void handshakeGivesVersionAndNegotiatesOob() {
        assertThat(qmp.state()).isEqualTo(ConnectionState.RUNNING);
        assertThat(qmp.greeting().version().major()).isEqualTo(7);
        assertThat(qmp.greeting().version().minor()).isEqualTo(2);
        assertThat(qmp.greeting().capabilities()).containsExactly("oob");
        assertThat(qmp.capabilities()).containsExactly("oob");
    }

    @Test
    void queryStatusReturnsTheRunState() {
        JsonNode status = qmp.execute("query-status");
        assertThat(status.get("status").asText()).isEqualTo("running");
        assertThat(status.get("running").asBoolean()).isTrue();
    }

    @Test
    void stopAndContEmitEventsThatAwaitEventCannotMiss() {
        assertThat(qmp.execute("stop").isEmpty()).isTrue();
        QmpEvent stop = qmp.awaitEvent(EventFilter.named("STOP"), T);
        assertThat(stop.data().isMissingNode()).isTrue();
        assertThat(stop.timestamp().getEpochSecond()).isPositive();
        assertThat(qmp.execute("query-status").get("status").asText()).isEqualTo("paused");
        qmp.execute("cont");
        assertThat(qmp.awaitEvent(EventFilter.named("RESUME"), T).name()).isEqualTo("RESUME");
        assertThat(qmp.execute("query-status").get("running").asBoolean()).isTrue();
    }

    @Test
    void theStopEventIsDeliveredBeforeStopReturns() {
        try (EventSubscription events = qmp.subscribe(EventFilter.named("STOP", "RESUME"))) {
            qmp.execute("stop");
            assertThat(events.drain()).extracting(QmpEvent::name).containsExactly("STOP");
            qmp.execute("cont");
            assertThat(events.drain()).extracting(QmpEvent::name).containsExactly("RESUME");
        }
    }

    @Test
    void anUnknownCommandIsCommandNotFoundAndTheConnectionStaysUsable() {
        assertThatThrownBy(() -> qmp.execute("no-such-command"))
                .isInstanceOfSatisfying(QmpCommandNotFoundException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.description()).isEqualTo("The command no-such-command has not been found");
                    assertThat(e.command()).isEqualTo("no-such-command");
                });
        assertThat(qmp.execute("query-status").has("status")).isTrue();
    }

    @Test
    void negotiatingTwiceIsRefused() {
        assertThatThrownBy(() -> qmp.execute("qmp_capabilities"))
                .isInstanceOf(QmpCommandException.class)
                .satisfies(e -> assertThat(((QmpCommandException) e).errorClass()).isEqualTo("CommandNotFound"));
    }

    @Test
    void humanMonitorCommandReturnsHmpText() {
        JsonNode text = qmp.execute("human-monitor-command", Map.of("command-line", "info status"));
        assertThat(text.asText()).isEqualTo("VM status: running\r\n");
    }

    @Test
    void manyAsyncCallsAreAnsweredInOrder() {
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(i % 2 == 0 ? qmp.executeAsync("query-status")
                    : qmp.executeAsync("x-missing-" + i).exceptionally(e -> null));
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode r = calls.get(i).join();
            if (i % 2 == 0) {
                assertThat(r.get("status").asText()).isEqualTo("running");
            } else {
                assertThat(r).isNull();
            }
        }
    }

    @Test
    void quitSendsShutdownThenClosesTheConnection() throws Exception {
        qmp.execute("quit");
        QmpEvent shutdown = qmp.awaitEvent(EventFilter.named("SHUTDOWN"), T);
        assertThat(shutdown.data().get("reason").asText()).isEqualTo("host-qmp-quit");
        qmp.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
        assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class);
    }

    @Test
    void theMonitorAcceptsANewClientAfterTheFirstCloses() {
        qmp.close();
        assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class);
        try (QmpConnection second = qmp.newBuilder().enableOob(false).build()) {
            assertThatThrownBy(() -> second.execute("query-status")).isInstanceOf(QmpStateException.class)
                    .hasMessageContaining("needs the connection to be RUNNING, but it is IDLE");
            second.connect();
            assertThat(second.capabilities()).isEmpty();
            assertThat(second.execute("query-status").has("status")).isTrue();
        }
    }
}
