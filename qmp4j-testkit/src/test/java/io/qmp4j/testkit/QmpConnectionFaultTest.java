package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client (qmp4j-core) against every {@link Fault}: each gives the documented typed exception
 * (or the correct result) within the configured timeout, and leaves no fd or I/O thread behind.
 */
class QmpConnectionFaultTest {
    private static final Duration SHORT = Duration.ofMillis(400);
    private FakeQmpServer server;
    private long fdsBefore;

    /**
     * Loads the client's classes and Netty's native transport once: their one-time descriptors
     * (jars, /dev/urandom, a probe socket) are not per-connection leaks and must not count.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (FakeQmpServer warm = new FakeQmpServer()) {
            warm.start();
            try (QmpConnection qmp = QmpConnection.builder(warm.socketPath()).build()) {
                qmp.connect();
                qmp.execute("query-status");
                assertThatThrownBy(() -> qmp.execute("x")).isInstanceOf(QmpCommandException.class);
            }
        }
    }

    @BeforeEach
    void baseline() throws Exception {
        waitForIoThreadsToEnd();
        fdsBefore = openFds();
    }

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) {
            server.close();
        }
        assertThat(waitForIoThreadsToEnd()).as("qmp4j I/O threads left").isZero();
        long fds = openFds();
        for (int i = 0; i < 40 && fds > fdsBefore; i++) { // one still being closed by another thread is no leak
            Thread.sleep(50);
            fds = openFds();
        }
        assertThat(fds).as("open fds").isLessThanOrEqualTo(fdsBefore);
    }

    private FakeQmpServer start(FakeQmpServer.Builder builder) throws IOException {
        server = builder.build();
        server.start();
        return server;
    }

    private QmpConnection connected(FakeQmpServer s, Duration commandTimeout) {
        QmpConnection qmp = QmpConnection.builder(s.socketPath()).connectTimeout(SHORT)
                .commandTimeout(commandTimeout).maxMessageBytes(64 * 1024).build();
        qmp.connect();
        return qmp;
    }

    private QmpConnection replyFault(Fault fault) throws IOException {
        QmpConnection qmp = connected(start(FakeQmpServer.builder()), SHORT);
        server.enqueue(ScriptedReply.ofFault(fault));
        return qmp;
    }

    private void greetingFails(Fault fault, Duration connectTimeout, Class<? extends Throwable> type, String text)
            throws IOException {
        start(FakeQmpServer.builder().greetingFault(fault));
        QmpConnection qmp = QmpConnection.builder(server.socketPath()).connectTimeout(connectTimeout).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(qmp::connect).isInstanceOf(type).hasMessageContaining(text);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(connectTimeout.toMillis() + 1500);
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        qmp.close();
    }

    @Test
    void noGreetingTimesOutTheConnect() throws Exception {
        greetingFails(Fault.NO_GREETING, SHORT, QmpTimeoutException.class, "no QMP greeting");
    }

    @Test
    void aGreetingWithoutTheQmpKeyIsAProtocolError() throws Exception {
        greetingFails(Fault.BAD_GREETING, Duration.ofSeconds(2), QmpProtocolException.class, "expected the QMP greeting");
    }

    @Test
    void aNonJsonGreetingIsAProtocolErrorQuotingIt() throws Exception {
        greetingFails(Fault.NON_JSON_GREETING, Duration.ofSeconds(2), QmpProtocolException.class, "'QEMU 7.2.22 monitor");
    }

    @Test
    void aRefusedNegotiationFailsTheConnectAndLeavesItIdle() throws Exception {
        start(FakeQmpServer.builder());
        server.enqueue(ScriptedReply.builder().forCommand("qmp_capabilities")
                .error("GenericError", "capabilities negotiation refused for this test").build());
        QmpConnection qmp = QmpConnection.builder(server.socketPath()).connectTimeout(SHORT).build();
        assertThatThrownBy(qmp::connect).isInstanceOf(io.qmp4j.QmpCommandException.class)
                .hasMessageContaining("qmp_capabilities").hasMessageContaining("negotiation refused");
        assertThat(qmp.state()).isEqualTo(ConnectionState.IDLE);
        qmp.close();
    }

    /** Whether this class's connections handshake on the caller thread (JNA is on the test class path). */
    boolean handshakeOnCaller() {
        return true;
    }

    @Test
    void theGreetingIsReadByTheExpectedThread() throws Exception {
        start(FakeQmpServer.builder());
        List<String> greetingReaders;
        try (WireLogCapture wire = WireLogCapture.start();
                QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
            qmp.connect();
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
            greetingReaders = wire.lines().stream().filter(l -> l.message().contains("{\"QMP\""))
                    .map(WireLogCapture.Line::thread).toList();
        }
        if (handshakeOnCaller()) {
            assertThat(greetingReaders).containsExactly(Thread.currentThread().getName());
        } else {
            assertThat(greetingReaders).singleElement().asString().startsWith("qmp4j-io");
        }
    }

    @Test
    void eventsSentRightAfterTheNegotiationReplyAreDeliveredInOrder() throws Exception {
        start(FakeQmpServer.builder());
        server.enqueue(ScriptedReply.builder().forCommand("qmp_capabilities").returnsJson("{}")
                .eventAfter("RESUME", null).eventAfter("STOP", null).build());
        try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build();
                EventSubscription events = qmp.subscribe(EventFilter.any())) {
            qmp.connect(); // the events may arrive with the reply, in the handshake's last read
            assertThat(events.take(Duration.ofSeconds(5)).name()).isEqualTo("RESUME");
            assertThat(events.take(Duration.ofSeconds(5)).name()).isEqualTo("STOP");
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
        }
    }

    @Test
    void aGreetingSplitAtEveryByteStillConnects() throws Exception {
        start(FakeQmpServer.builder().greetingFault(Fault.SPLIT_AT_EVERY_BYTE));
        try (QmpConnection qmp = QmpConnection.builder(server.socketPath()).build()) {
            qmp.connect();
            assertThat(qmp.greeting().version().major()).isEqualTo(7);
        }
    }

    @Test
    void aReplySplitAtEveryByteIsReassembled() throws Exception {
        try (QmpConnection qmp = connected(start(FakeQmpServer.builder()), Duration.ofSeconds(5))) {
            server.enqueue(ScriptedReply.builder().returnsJson("{\"text\": \"Grüße 🎉\", \"n\": [1, 2, 3]}")
                    .fault(Fault.SPLIT_AT_EVERY_BYTE).build());
            JsonNode r = qmp.execute("anything");
            assertThat(r.get("text").asText()).isEqualTo("Grüße 🎉");
            assertThat(qmp.execute("query-status").has("status")).isTrue();
        }
    }

    @Test
    void aNonJsonReplyFailsTheCallWithAProtocolErrorAndClosesTheConnection() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.NON_JSON_REPLY)) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpProtocolException.class)
                    .hasMessageContaining("query-status: message is not valid JSON");
            awaitClosed(qmp);
        }
    }

    @Test
    void aReplyThatIsNotAnObjectIsAProtocolError() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.NOT_AN_OBJECT_REPLY)) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpProtocolException.class)
                    .hasMessageContaining("is not a JSON object");
            awaitClosed(qmp);
        }
    }

    @Test
    void aReplyWithNeitherReturnNorErrorIsAProtocolError() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.UNKNOWN_MESSAGE_REPLY)) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpProtocolException.class)
                    .hasMessageContaining("neither greeting, reply nor event");
            awaitClosed(qmp);
        }
    }

    @Test
    void aCloseInTheMiddleOfAReplyFailsTheCallAsClosed() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.CLOSE_MID_MESSAGE)) {
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("QEMU closed the connection (the command was sent");
            awaitClosed(qmp);
        }
    }

    @Test
    void aCloseAfterTheRequestFailsEveryCallInFlight() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.CLOSE_AFTER_REQUEST)) {
            List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(qmp.executeAsync("query-status"));
            }
            assertThat(calls).allSatisfy(c -> assertThat(c).failsWithin(Duration.ofSeconds(2))
                    .withThrowableThat().havingCause().isInstanceOf(QmpConnectionClosedException.class));
            awaitClosed(qmp);
        }
    }

    @Test
    void neverReplyingTimesOutWithinTheCommandTimeoutAndCloseIsClean() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.NEVER_REPLY)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> qmp.execute("query-status"))
                    .isInstanceOfSatisfying(QmpTimeoutException.class, e -> assertThat(e.wasSent()).isTrue());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(ms).isBetween(SHORT.toMillis() - 50, SHORT.toMillis() + 1000);
            // the stuck server keeps the reply order stuck too: later calls time out, never mismatch
            assertThatThrownBy(() -> qmp.execute("query-version")).isInstanceOf(QmpTimeoutException.class);
        }
    }

    @Test
    void aReplyArrivingAfterTheCallerGaveUpIsDiscardedAndTheNextCallGetsItsOwn() throws Exception {
        try (QmpConnection qmp = connected(start(FakeQmpServer.builder()), SHORT)) {
            for (int i = 0; i < 3; i++) { // a blocking call is written by its caller, who also times it out
                server.enqueue(ScriptedReply.builder().returnsJson("{\"late\": " + i + "}")
                        .delay(SHORT.plusMillis(300)).build());
                server.enqueue(ScriptedReply.ofReturnJson("{\"own\": " + i + "}"));
                assertThatThrownBy(() -> qmp.execute("slow"))
                        .isInstanceOfSatisfying(QmpTimeoutException.class, e -> assertThat(e.wasSent()).isTrue());
                assertThat(qmp.execute("next", (JsonNode) null, Duration.ofSeconds(5)).path("own").asInt())
                        .isEqualTo(i);
            }
        }
    }

    @Test
    void callsWrittenByTheirCallersAndByTheEventLoopKeepTheReplyOrder() throws Exception {
        try (QmpConnection qmp = connected(start(FakeQmpServer.builder()), Duration.ofSeconds(5))) {
            for (int i = 0; i < 200; i++) {
                server.enqueue(ScriptedReply.ofReturnJson("{\"n\": " + (2 * i) + "}"));
                server.enqueue(ScriptedReply.ofReturnJson("{\"n\": " + (2 * i + 1) + "}"));
                CompletableFuture<JsonNode> async = qmp.executeAsync("first"); // sent by the event loop
                JsonNode blocking = qmp.execute("second"); // may be written by this thread meanwhile
                assertThat(async.get(5, TimeUnit.SECONDS).path("n").asInt()).isEqualTo(2 * i);
                assertThat(blocking.path("n").asInt()).isEqualTo(2 * i + 1);
            }
        }
    }

    @Test
    void closingWhileCallersWriteFailsThemAsClosedAndLeavesNothingBehind() throws Exception {
        start(FakeQmpServer.builder());
        QmpConnection qmp = connected(server, Duration.ofSeconds(5));
        List<Thread> callers = new ArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            Thread caller = new Thread(() -> {
                try {
                    while (true) {
                        qmp.execute("query-status");
                        answered.incrementAndGet();
                    }
                } catch (QmpConnectionClosedException e) {
                    // expected once close() has run
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            });
            callers.add(caller);
            caller.start();
        }
        while (answered.get() < 200) {
            Thread.sleep(1);
        }
        qmp.close();
        for (Thread caller : callers) {
            caller.join(5000);
            assertThat(caller.isAlive()).as("caller still blocked after close()").isFalse();
        }
        assertThat(unexpected).isEmpty();
    }

    @Test
    void aSlowDripCompletesWithinAGenerousTimeoutAndTimesOutWithinAShortOne() throws Exception {
        start(FakeQmpServer.builder().slowDripInterval(Duration.ofMillis(5)));
        try (QmpConnection qmp = connected(server, Duration.ofSeconds(10))) {
            server.enqueue(ScriptedReply.builder().returnsJson("{\"ok\": true}").fault(Fault.SLOW_DRIP).build());
            assertThat(qmp.execute("x").get("ok").asBoolean()).isTrue();
            server.enqueue(ScriptedReply.builder().returnsJson("{\"padding\": \"" + "p".repeat(500) + "\"}")
                    .fault(Fault.SLOW_DRIP).build());
            assertThatThrownBy(() -> qmp.execute("x", (JsonNode) null, Duration.ofMillis(300)))
                    .isInstanceOf(QmpTimeoutException.class).hasMessageContaining("x: no reply within 300 ms");
        }
    }

    @Test
    void anOversizeLineFailsFastWithoutBufferingItAll() throws Exception {
        start(FakeQmpServer.builder().oversizeLineBytes(10L * 1024 * 1024));
        try (QmpConnection qmp = connected(server, Duration.ofSeconds(10))) {
            server.enqueue(ScriptedReply.ofFault(Fault.OVERSIZE_LINE));
            assertThatThrownBy(() -> qmp.execute("query-qmp-schema")).isInstanceOf(QmpProtocolException.class)
                    .hasMessageContaining("exceeds the maximum size of 65536 bytes");
            awaitClosed(qmp);
        }
    }

    @Test
    void anUnsolicitedErrorDesynchronisesTheStreamAndIsDetected() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.UNSOLICITED_ERROR)) {
            // Without ids the stray error is taken as this call's reply (QEMU's own order is all a
            // client has); the genuine reply then matches nothing, which ends the session rather
            // than shifting every later reply by one.
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpCommandException.class)
                    .hasMessageContaining("JSON parse error");
            awaitClosed(qmp);
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class)
                    .hasRootCauseInstanceOf(QmpProtocolException.class);
        }
    }

    @Test
    void aDuplicateReplyIsDetectedAsAProtocolError() throws Exception {
        try (QmpConnection qmp = replyFault(Fault.DUPLICATE_REPLY)) {
            assertThat(qmp.execute("query-status")).isNotNull();
            awaitClosed(qmp);
            assertThatThrownBy(() -> qmp.execute("query-status")).isInstanceOf(QmpConnectionClosedException.class)
                    .hasRootCauseInstanceOf(QmpProtocolException.class)
                    .rootCause().hasMessageContaining("reply for no pending command (reply order lost)");
        }
    }

    @Test
    void aBurstOfEventsWhileACommandWaitsLosesNothingButWhatTheBufferCannotHold() throws Exception {
        try (QmpConnection qmp = connected(start(FakeQmpServer.builder()), Duration.ofSeconds(10));
             EventSubscription all = qmp.subscribe(EventFilter.named("BURST"), 200_000, OverflowPolicy.FAIL);
             EventSubscription small = qmp.subscribe(EventFilter.named("BURST"), 100, OverflowPolicy.DROP_OLDEST)) {
            server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));
            CompletableFuture<JsonNode> waiting = qmp.executeAsync("query-status");
            assertThat(server.emitEvents("BURST", 100_000)).isEqualTo(100_000);
            assertThat(waitForSize(all, 100_000)).isEqualTo(100_000);
            assertThat(all.droppedCount()).isZero();
            assertThat(small.size() + small.droppedCount()).isEqualTo(100_000);
            assertThat(small.drain().get(99).data().get("index").asInt()).isEqualTo(99_999);
            assertThat(waiting).isNotDone();
        }
    }

    @Test
    void everyFaultIsCoveredByATestInThisClass() {
        assertThat(Stream.of(Fault.values()).map(Fault::name).filter(n -> !sourceMentions(n)).toList()).isEmpty();
    }

    private static boolean sourceMentions(String fault) {
        try {
            return Files.readString(Path.of("src/test/java/io/qmp4j/testkit/QmpConnectionFaultTest.java"))
                    .matches("(?s).*\\bFault\\." + fault + "\\b.*");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long waitForSize(EventSubscription s, int n) throws InterruptedException {
        for (int i = 0; i < 200 && s.size() < n; i++) {
            Thread.sleep(25);
        }
        return s.size();
    }

    private static void awaitClosed(QmpConnection qmp) throws Exception {
        qmp.closeFuture().toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
    }

    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long waitForIoThreadsToEnd() throws InterruptedException {
        long n = 0;
        for (int i = 0; i < 100; i++) {
            n = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("qmp4j-")).count();
            if (n == 0) {
                break;
            }
            Thread.sleep(50);
        }
        return n;
    }
}
