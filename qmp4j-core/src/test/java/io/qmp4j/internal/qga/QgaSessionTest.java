package io.qmp4j.internal.qga;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.transport.QmpFrameDecoder;
import io.qmp4j.message.QmpJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guest agent protocol rules, driven deterministically on Netty's embedded channel and clock; the test plays the agent. */
class QgaSessionTest {
    private static final String STRAY_FF_ERROR =
            "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, stray '\\uFFFD'\"}}\n";
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    private QgaSession session;
    private EmbeddedChannel ch;

    @BeforeEach
    void open() {
        session = new QgaSession();
        ch = new EmbeddedChannel(new QmpFrameDecoder(1 << 20), session);
        ch.freezeTime(); // timeouts advance only with advance(): no wall-clock race under load
    }

    private void agentSends(byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.runPendingTasks();
    }

    private void agentSends(String s) {
        agentSends(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The agent's answer to guest-sync-delimited: 0xFF, then the reply. */
    private void agentSendsDelimited(String reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.writeBytes(reply.getBytes(StandardCharsets.UTF_8));
        agentSends(out.toByteArray());
    }

    private QgaCall submit(String command, QgaCall.Kind kind) {
        QgaCall call = new QgaCall(command, QmpJson.request(command, null, null, false), TIMEOUT, kind);
        session.submit(call);
        ch.runPendingTasks();
        return call;
    }

    /** Everything written so far, as one string (0xFF shown as the character U+00FF). */
    private String written() {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    /** Reads what was written, checks it is one resync (with or without 0xFF) and returns its id. */
    private long syncSent(boolean withDelimiter) {
        String w = written();
        String prefix = withDelimiter ? "\u00ff" : "";
        assertThat(w).startsWith(prefix + "{\"execute\":\"guest-sync-delimited\"");
        return parse(w.substring(prefix.length())).path("arguments").path("id").asLong();
    }

    private static JsonNode parse(String json) {
        try {
            return QmpJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not one JSON value: " + json, e);
        }
    }

    private void syncs() {
        long id = syncSent(true);
        agentSends(STRAY_FF_ERROR);
        agentSendsDelimited("{\"return\": " + id + "}\n");
    }

    private static Throwable failure(QgaCall call) {
        try {
            call.future().get(0, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    @Test
    void theFirstCommandWaitsForAResyncThatSkipsEverythingBeforeTheDelimiter() {
        QgaCall ping = submit("guest-ping", QgaCall.Kind.COMMAND);
        long id = syncSent(true);
        agentSends("{\"return\": {\"stale\": 1}}\n" + STRAY_FF_ERROR + "{\"retu");
        assertThat(written()).as("the command waits for the resync").isEmpty();
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(written()).isEqualTo("{\"execute\":\"guest-ping\"}");
        agentSends("{\"return\": {}}\n");
        assertThat(ping.future()).isCompleted();
        assertThat(ping.future().join().value().isEmpty()).isTrue();
    }

    @Test
    void delimitedRepliesOfOlderSyncsAreSkipped() {
        QgaCall ping = submit("guest-ping", QgaCall.Kind.COMMAND);
        long id = syncSent(true);
        agentSendsDelimited("{\"return\": " + (id + 1) + "}\n");
        agentSendsDelimited("{\"return\": \"not a number\"}\n");
        assertThat(written()).isEmpty();
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(written()).isEqualTo("{\"execute\":\"guest-ping\"}");
        agentSends("{\"return\": {}}\n");
        assertThat(ping.future()).isCompleted();
    }

    @Test
    void onceInSyncCommandsGoOutOneAtATimeWithoutResync() {
        QgaCall first = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        assertThat(written()).isEqualTo("{\"execute\":\"guest-ping\"}");
        QgaCall second = submit("guest-info", QgaCall.Kind.COMMAND);
        assertThat(written()).as("one command at a time").isEmpty();
        agentSends("{\"return\": {}}\n");
        assertThat(first.future()).isCompleted();
        assertThat(written()).isEqualTo("{\"execute\":\"guest-info\"}");
        agentSends("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"nope\"}}\n");
        assertThat(failure(second)).isInstanceOf(QmpCommandNotFoundException.class).hasMessageContaining("guest-info");
    }

    @Test
    void aLateReplyOfATimedOutCallIsSkippedByTheNextResyncNeverHandedOn() {
        QgaCall slow = submit("guest-exec-status", QgaCall.Kind.COMMAND);
        syncs();
        written();
        advance(TIMEOUT.plusMillis(1));
        assertThat(failure(slow)).isInstanceOf(QmpTimeoutException.class);
        assertThat(((QmpTimeoutException) failure(slow)).wasSent()).isTrue();

        QgaCall next = submit("guest-get-host-name", QgaCall.Kind.COMMAND);
        long id = syncSent(true);
        agentSends("{\"return\": {\"exited\": true}}\n" + STRAY_FF_ERROR);
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(written()).isEqualTo("{\"execute\":\"guest-get-host-name\"}");
        agentSends("{\"return\": {\"host-name\": \"vm1\"}}\n");
        assertThat(next.future().join().value().path("host-name").asText()).isEqualTo("vm1");
    }

    @Test
    void anAgentThatNeverAnswersTheSyncFailsTheCallAsNotSent() {
        QgaCall ping = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncSent(true);
        advance(TIMEOUT.plusMillis(1));
        assertThat(failure(ping)).isInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("did not answer guest-sync-delimited").hasMessageContaining("not sent");
        assertThat(((QmpTimeoutException) failure(ping)).wasSent()).isFalse();
        assertThat(written()).as("the command itself never went out").isEmpty();
    }

    @Test
    void aLateAnswerToAnAbandonedSyncIsSkippedByTheNextOne() {
        QgaCall first = submit("guest-ping", QgaCall.Kind.COMMAND);
        long old = syncSent(true);
        advance(TIMEOUT.plusMillis(1));
        assertThat(first.future()).isCompletedExceptionally();
        QgaCall second = submit("guest-ping", QgaCall.Kind.COMMAND);
        long id = syncSent(true);
        agentSends(STRAY_FF_ERROR);
        agentSendsDelimited("{\"return\": " + old + "}\n");
        agentSends(STRAY_FF_ERROR);
        assertThat(written()).isEmpty();
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(written()).isEqualTo("{\"execute\":\"guest-ping\"}");
        agentSends("{\"return\": {}}\n");
        assertThat(second.future()).isCompleted();
    }

    @Test
    void aCommandWithoutSuccessReplyIsConfirmedByTheSyncBehindIt() {
        QgaCall warmup = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        written();
        agentSends("{\"return\": {}}\n");
        assertThat(warmup.future()).isCompleted();

        QgaCall shutdown = submit("guest-shutdown", QgaCall.Kind.NO_REPLY);
        String w = written();
        assertThat(w).startsWith("{\"execute\":\"guest-shutdown\"}{\"execute\":\"guest-sync-delimited\"")
                .doesNotContain("\u00ff");
        long id = parse(w.substring("{\"execute\":\"guest-shutdown\"}".length())).path("arguments").path("id").asLong();
        assertThat(shutdown.future()).isNotDone();
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(shutdown.future()).isCompleted();
    }

    @Test
    void theErrorOfACommandWithoutSuccessReplyArrivesBeforeTheConfirmingSync() {
        QgaCall warmup = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        written();
        agentSends("{\"return\": {}}\n");
        assertThat(warmup.future()).isCompleted();
        QgaCall shutdown = submit("guest-shutdown", QgaCall.Kind.NO_REPLY);
        String w = written();
        long id = parse(w.substring("{\"execute\":\"guest-shutdown\"}".length())).path("arguments").path("id").asLong();
        agentSends("{\"error\": {\"class\": \"GenericError\", \"desc\": \"not permitted\"}}\n");
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(failure(shutdown)).isInstanceOf(QmpCommandException.class)
                .hasMessage("guest-shutdown: GenericError: not permitted");
    }

    @Test
    void aMalformedReplyFailsThatCallAndTheNextCommandResyncs() {
        QgaCall ping = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        written();
        agentSends("garbage]]\n");
        assertThat(failure(ping)).isInstanceOf(QmpProtocolException.class).hasMessageContaining("garbage")
                .hasMessageContaining("resynchronises");
        QgaCall next = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        assertThat(written()).isEqualTo("{\"execute\":\"guest-ping\"}");
        agentSends("{\"return\": {}}\n");
        assertThat(next.future()).isCompleted();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aReplyForNobodyMakesTheNextCommandResync() {
        QgaCall ping = submit("guest-ping", QgaCall.Kind.COMMAND);
        syncs();
        written();
        agentSends("{\"return\": {}}\n");
        assertThat(ping.future()).isCompleted();
        agentSends("{\"return\": {\"unexpected\": true}}\n");
        submit("guest-ping", QgaCall.Kind.COMMAND);
        syncSent(true);
    }

    @Test
    void anExplicitSyncCompletesWithItsOwnReply() {
        QgaCall sync = QgaCall.sync(TIMEOUT);
        session.submit(sync);
        ch.runPendingTasks();
        long id = syncSent(true);
        agentSendsDelimited("{\"return\": " + id + "}\n");
        assertThat(sync.future().join().value().asLong()).isEqualTo(id);
    }

    @Test
    void theChannelClosingFailsTheCallOnTheWireAndTheQueuedOnes() {
        QgaCall sent = submit("guest-exec", QgaCall.Kind.COMMAND);
        syncs();
        QgaCall queued = submit("guest-ping", QgaCall.Kind.COMMAND);
        ch.close();
        ch.runPendingTasks();
        assertThat(failure(sent)).isInstanceOf(QmpConnectionClosedException.class)
                .hasMessageContaining("guest agent channel was closed").hasMessageContaining("was sent");
        assertThat(failure(queued)).isInstanceOf(QmpConnectionClosedException.class).hasMessageContaining("not sent");
        assertThat(session.terminated()).isCompleted();
        QgaCall late = submit("guest-ping", QgaCall.Kind.COMMAND);
        assertThat(failure(late)).isInstanceOf(QmpConnectionClosedException.class);
    }

    @Test
    void callsThatTimedOutWhileQueuedAreNeverSent() {
        List<QgaCall> calls = new ArrayList<>();
        calls.add(submit("guest-ping", QgaCall.Kind.COMMAND));
        syncs();
        written();
        calls.add(submit("guest-info", QgaCall.Kind.COMMAND));
        advance(TIMEOUT.plusMillis(1));
        assertThat(calls).allSatisfy(c -> assertThat(c.future()).isCompletedExceptionally());
        assertThat(((QmpTimeoutException) failure(calls.get(1))).wasSent()).isFalse();
        assertThat(written()).doesNotContain("guest-info");
    }
}
