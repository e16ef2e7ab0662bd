package io.qmp4j.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.event.EventHub;
import io.qmp4j.internal.transport.QmpFrameDecoder;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpReturn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session's routing rules, driven deterministically on Netty's embedded channel and clock. */
class SessionTest {
    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2,"
            + " \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}\r\n";
    private final EventHub events = new EventHub();
    private Session session;
    private EmbeddedChannel ch;

    @BeforeEach
    void open() {
        session = new Session(events);
        ch = new EmbeddedChannel(new QmpFrameDecoder(1 << 20), session);
    }

    private void serverSends(String s) {
        ch.writeInbound(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
        ch.runPendingTasks();
    }

    private PendingCall submit(String command, Duration timeout) {
        PendingCall call = new PendingCall(command, QmpJson.request(command, null, null, false), timeout);
        session.submit(call);
        ch.runPendingTasks();
        return call;
    }

    private List<String> sentCommands() {
        List<String> sent = new ArrayList<>();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            sent.add(b.toString(StandardCharsets.UTF_8));
        }
        return sent;
    }

    private void greeted(int window) {
        serverSends(GREETING);
        assertThat(session.greeting()).isCompleted();
        session.setWindow(window);
        ch.runPendingTasks();
    }

    private static Throwable failure(PendingCall call) {
        try {
            call.future().get(0, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void matchesRepliesToCallsInRequestOrder() {
        greeted(8);
        PendingCall a = submit("a", Duration.ofSeconds(5));
        PendingCall b = submit("b", Duration.ofSeconds(5));
        assertThat(sentCommands()).containsExactly("{\"execute\":\"a\"}", "{\"execute\":\"b\"}");
        serverSends("{\"return\": 1}\r\n{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n"
                + "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command b has not been found\"}}\r\n");
        assertThat(a.future().join().value().asInt()).isEqualTo(1);
        assertThat(failure(b)).isInstanceOf(QmpCommandNotFoundException.class)
                .hasMessage("b: CommandNotFound: The command b has not been found");
        assertThat(events.sequence()).isEqualTo(1);
    }

    @Test
    void keepsAtMostTheWindowInFlightAndSendsTheRestAsRepliesArrive() {
        greeted(2);
        PendingCall[] calls = new PendingCall[4];
        for (int i = 0; i < 4; i++) {
            calls[i] = submit("c" + i, Duration.ofSeconds(5));
        }
        assertThat(sentCommands()).hasSize(2);
        serverSends("{\"return\": {}}\r\n");
        assertThat(sentCommands()).containsExactly("{\"execute\":\"c2\"}");
        serverSends("{\"return\": {}}\r\n{\"return\": {}}\r\n");
        assertThat(sentCommands()).containsExactly("{\"execute\":\"c3\"}");
        serverSends("{\"return\": {}}\r\n");
        for (PendingCall c : calls) {
            assertThat(c.future()).isCompleted();
        }
    }

    @Test
    void aTimedOutCallKeepsItsPlaceSoItsLateReplyIsNotGivenToTheNextCaller() {
        greeted(8);
        PendingCall slow = submit("slow", Duration.ofMillis(100));
        PendingCall next = submit("next", Duration.ofSeconds(5));
        ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(failure(slow)).isInstanceOf(QmpTimeoutException.class)
                .satisfies(e -> assertThat(((QmpTimeoutException) e).wasSent()).isTrue())
                .hasMessageContaining("slow: no reply within 100 ms (sent");
        serverSends("{\"return\": \"late reply of slow\"}\r\n");
        assertThat(next.future()).isNotDone();
        serverSends("{\"return\": \"reply of next\"}\r\n");
        assertThat(next.future().join().value().asText()).isEqualTo("reply of next");
    }

    @Test
    void aCallThatTimesOutBeforeItIsSentIsNeverSent() {
        greeted(1);
        PendingCall first = submit("first", Duration.ofSeconds(5));
        PendingCall queued = submit("queued", Duration.ofMillis(100));
        assertThat(sentCommands()).containsExactly("{\"execute\":\"first\"}");
        ch.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(failure(queued)).isInstanceOf(QmpTimeoutException.class).hasMessageContaining("not sent");
        serverSends("{\"return\": {}}\r\n");
        assertThat(first.future()).isCompleted();
        assertThat(sentCommands()).isEmpty();
    }

    @Test
    void aCancelledUnsentCallIsSkipped() {
        greeted(1);
        submit("first", Duration.ofSeconds(5));
        PendingCall cancelled = submit("cancelled", Duration.ofSeconds(5));
        PendingCall third = submit("third", Duration.ofSeconds(5));
        cancelled.future().cancel(false);
        sentCommands();
        serverSends("{\"return\": {}}\r\n");
        assertThat(sentCommands()).containsExactly("{\"execute\":\"third\"}");
        serverSends("{\"return\": 3}\r\n");
        assertThat(third.future().join().value().asInt()).isEqualTo(3);
    }

    @Test
    void aReplyForNothingPendingIsAProtocolErrorThatEndsTheSession() {
        greeted(8);
        serverSends("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray ''\"}}\r\n");
        assertThat(session.terminated().join()).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("reply for no pending command");
        assertThat(ch.isOpen()).isFalse();
        PendingCall after = submit("after", Duration.ofSeconds(5));
        assertThat(failure(after)).isInstanceOf(QmpConnectionClosedException.class);
    }

    @Test
    void negotiationIsSentFromTheLoopAsSoonAsTheGreetingArrives() {
        session.negotiateOnGreeting(g -> new Session.Negotiation(new PendingCall("qmp_capabilities",
                QmpJson.request("qmp_capabilities", null, null, false), Duration.ofSeconds(5)), 8));
        serverSends(GREETING);
        assertThat(sentCommands()).containsExactly("{\"execute\":\"qmp_capabilities\"}");
        assertThat(session.negotiated()).isNotDone();
        serverSends("{\"return\": {}}\r\n");
        assertThat(session.negotiated()).isCompleted();
        List<PendingCall> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(submit("query-status", Duration.ofSeconds(5)));
        }
        assertThat(sentCommands()).hasSize(8); // the window from the negotiation
    }

    @Test
    void aRefusedNegotiationFailsNegotiated() {
        session.negotiateOnGreeting(g -> new Session.Negotiation(new PendingCall("qmp_capabilities",
                QmpJson.request("qmp_capabilities", null, null, false), Duration.ofSeconds(5)), 8));
        serverSends(GREETING);
        serverSends("{\"error\": {\"class\": \"GenericError\", \"desc\": \"no\"}}\r\n");
        assertThat(session.negotiated()).isCompletedExceptionally();
    }

    @Test
    void anEventBeforeTheGreetingIsDeliveredAndTheGreetingStillAccepted() {
        serverSends("{\"event\": \"RESUME\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n");
        assertThat(session.greeting()).isNotDone();
        assertThat(session.terminated()).isNotDone();
        serverSends(GREETING);
        assertThat(session.greeting()).isCompleted();
        assertThat(events.sequence()).isEqualTo(1);
    }

    @Test
    void aFirstMessageThatIsNotAGreetingFailsTheGreeting() {
        serverSends("{\"return\": {}}\r\n");
        assertThat(session.greeting()).isCompletedExceptionally();
        assertThat(session.terminated().join()).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("expected the QMP greeting");
    }

    @Test
    void malformedInputFailsPendingCallsWithAProtocolError() {
        greeted(8);
        PendingCall a = submit("a", Duration.ofSeconds(5));
        serverSends("garbage\r\n");
        assertThat(failure(a)).isInstanceOf(QmpProtocolException.class).hasMessageContaining("a: message is not valid JSON");
    }

    @Test
    void peerCloseFailsEveryPendingCallSaysWhetherItWasSent() {
        greeted(1);
        PendingCall sent = submit("sent", Duration.ofSeconds(5));
        PendingCall waiting = submit("waiting", Duration.ofSeconds(5));
        ch.close();
        ch.runPendingTasks();
        assertThat(failure(sent)).isInstanceOf(QmpConnectionClosedException.class)
                .hasMessageContaining("sent: QEMU closed the connection (the command was sent");
        assertThat(failure(waiting)).isInstanceOf(QmpConnectionClosedException.class)
                .hasMessageContaining("(the command was not sent)");
    }

    @Test
    void shutdownCompletesEachCallExactlyOnce() {
        greeted(8);
        List<CompletableFuture<QmpReturn>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(submit("c" + i, Duration.ofSeconds(5)).future());
        }
        session.shutdown(new QmpConnectionClosedException("closed by close()"));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(futures).allSatisfy(f -> assertThat(f).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(QmpConnectionClosedException.class)
                .withMessageContaining("closed by close()"));
    }

    @Test
    void commandErrorsKeepTheirClassAndDescription() {
        greeted(8);
        PendingCall c = submit("device_del", Duration.ofSeconds(5));
        serverSends("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'x' not found\"}}\r\n");
        QmpCommandException e = (QmpCommandException) failure(c);
        assertThat(e.errorClass()).isEqualTo("DeviceNotFound");
        assertThat(e.description()).isEqualTo("Device 'x' not found");
        assertThat(e.command()).isEqualTo("device_del");
    }
}
