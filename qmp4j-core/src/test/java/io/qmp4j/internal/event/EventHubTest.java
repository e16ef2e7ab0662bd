package io.qmp4j.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpEventOverflowException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTest {
    private final EventHub hub = new EventHub();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    static QmpEvent event(String name, String dataJson) {
        String line = "{\"event\": \"" + name + "\"" + (dataJson == null ? "" : ", \"data\": " + dataJson) + "}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return (QmpEvent) QmpJson.parse(b, 0, b.length);
    }

    @Test
    void deliversMatchingEventsInOrderToEachSubscription() {
        EventSubscription stops = hub.subscribe(EventFilter.named("STOP"), 10, OverflowPolicy.DROP_OLDEST);
        EventSubscription all = hub.subscribe(EventFilter.any(), 10, OverflowPolicy.DROP_OLDEST);
        hub.dispatch(event("STOP", null));
        hub.dispatch(event("RESUME", null));
        hub.dispatch(event("STOP", null));
        assertThat(stops.drain()).extracting(QmpEvent::name).containsExactly("STOP", "STOP");
        assertThat(all.drain()).extracting(QmpEvent::name).containsExactly("STOP", "RESUME", "STOP");
    }

    @Test
    void filtersOnData() {
        EventSubscription nic = hub.subscribe(EventFilter.named("DEVICE_DELETED").whereData("device", "nic1"),
                10, OverflowPolicy.DROP_OLDEST);
        EventSubscription pred = hub.subscribe(EventFilter.any().where(d -> d.path("n").asInt() > 1),
                10, OverflowPolicy.DROP_OLDEST);
        hub.dispatch(event("DEVICE_DELETED", "{\"device\": \"nic0\"}"));
        hub.dispatch(event("DEVICE_DELETED", "{\"device\": \"nic1\"}"));
        hub.dispatch(event("X", "{\"n\": 2}"));
        hub.dispatch(event("X", null));
        assertThat(nic.drain()).extracting(e -> e.data().get("device").asText()).containsExactly("nic1");
        assertThat(pred.drain()).hasSize(1);
    }

    @Test
    void dropOldestKeepsTheLatestAndCountsExactly() {
        EventSubscription s = hub.subscribe(EventFilter.any(), 3, OverflowPolicy.DROP_OLDEST);
        for (int i = 0; i < 10; i++) {
            hub.dispatch(event("E" + i, null));
        }
        assertThat(s.droppedCount()).isEqualTo(7);
        assertThat(s.drain()).extracting(QmpEvent::name).containsExactly("E7", "E8", "E9");
    }

    @Test
    void dropNewestKeepsTheEarliest() {
        EventSubscription s = hub.subscribe(EventFilter.any(), 3, OverflowPolicy.DROP_NEWEST);
        for (int i = 0; i < 10; i++) {
            hub.dispatch(event("E" + i, null));
        }
        assertThat(s.droppedCount()).isEqualTo(7);
        assertThat(s.drain()).extracting(QmpEvent::name).containsExactly("E0", "E1", "E2");
    }

    @Test
    void failPolicyEndsTheSubscriptionAfterBufferedEventsAreRead() {
        EventSubscription s = hub.subscribe(EventFilter.any(), 2, OverflowPolicy.FAIL);
        for (int i = 0; i < 3; i++) {
            hub.dispatch(event("E" + i, null));
        }
        assertThat(s.isOpen()).isFalse();
        assertThat(s.poll(Duration.ZERO)).get().extracting(QmpEvent::name).isEqualTo("E0");
        assertThat(s.poll(Duration.ZERO)).get().extracting(QmpEvent::name).isEqualTo("E1");
        assertThatThrownBy(() -> s.poll(Duration.ofSeconds(5))).isInstanceOf(QmpEventOverflowException.class)
                .hasMessageContaining("capacity of 2");
    }

    @Test
    void pollTimesOutEmptyAndTakeThrows() {
        EventSubscription s = hub.subscribe(EventFilter.named("X"), 2, OverflowPolicy.DROP_OLDEST);
        assertThat(s.poll(Duration.ofMillis(20))).isEmpty();
        assertThatThrownBy(() -> s.take(Duration.ofMillis(20))).isInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("no event matching events X within 20 ms");
    }

    @Test
    void pollWakesWhenAnEventArrives() throws Exception {
        EventSubscription s = hub.subscribe(EventFilter.any(), 2, OverflowPolicy.DROP_OLDEST);
        CompletableFuture<QmpEvent> got = CompletableFuture.supplyAsync(() -> s.take(Duration.ofSeconds(5)), executor);
        Thread.sleep(50);
        hub.dispatch(event("LATE", null));
        assertThat(got.get(5, TimeUnit.SECONDS).name()).isEqualTo("LATE");
    }

    @Test
    void closingTheHubEndsWaitingReadersAtOnce() throws Exception {
        EventSubscription s = hub.subscribe(EventFilter.any(), 2, OverflowPolicy.DROP_OLDEST);
        CompletableFuture<?> reader = CompletableFuture.runAsync(() -> s.poll(Duration.ofSeconds(30)), executor);
        Thread.sleep(50);
        hub.close(new QmpConnectionClosedException("gone"));
        assertThat(reader).failsWithin(Duration.ofSeconds(2))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(QmpConnectionClosedException.class);
        assertThat(s.isOpen()).isFalse();
        EventSubscription late = hub.subscribe(EventFilter.any(), 2, OverflowPolicy.DROP_OLDEST);
        assertThatThrownBy(() -> late.poll(Duration.ofSeconds(5))).isInstanceOf(QmpConnectionClosedException.class);
    }

    @Test
    void closedSubscriptionReceivesNothingMore() {
        EventSubscription s = hub.subscribe(EventFilter.any(), 2, OverflowPolicy.DROP_OLDEST);
        hub.dispatch(event("A", null));
        s.close();
        hub.dispatch(event("B", null));
        assertThat(s.drain()).extracting(QmpEvent::name).containsExactly("A");
        s.close();
    }

    @Test
    void awaitFindsAnEventThatArrivedBeforeTheWait() {
        long mark = hub.sequence();
        hub.dispatch(event("STOP", null));
        EventHub.Numbered n = hub.await(EventFilter.named("STOP"), mark, Duration.ofMillis(10));
        assertThat(n.event().name()).isEqualTo("STOP");
        assertThatThrownBy(() -> hub.await(EventFilter.named("STOP"), n.sequence(), Duration.ofMillis(10)))
                .isInstanceOf(QmpTimeoutException.class);
    }

    @Test
    void awaitWaitsForAnEventStillToCome() throws Exception {
        long mark = hub.sequence();
        CompletableFuture<EventHub.Numbered> w = CompletableFuture.supplyAsync(
                () -> hub.await(EventFilter.named("RESUME"), mark, Duration.ofSeconds(5)), executor);
        Thread.sleep(50);
        hub.dispatch(event("STOP", null));
        hub.dispatch(event("RESUME", null));
        assertThat(w.get(5, TimeUnit.SECONDS).sequence()).isEqualTo(mark + 2);
    }

    @Test
    void awaitAfterCloseStillFindsHistoryThenFails() {
        hub.dispatch(event("SHUTDOWN", "{\"guest\": false}"));
        hub.close(new QmpConnectionClosedException("quit"));
        assertThat(hub.await(EventFilter.named("SHUTDOWN"), 0, Duration.ofSeconds(1)).event().name())
                .isEqualTo("SHUTDOWN");
        assertThatThrownBy(() -> hub.await(EventFilter.named("STOP"), 0, Duration.ofSeconds(5)))
                .isInstanceOf(QmpConnectionClosedException.class);
    }

    @Test
    void listenerGetsEventsInOrderOffTheDispatchingThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(100);
        Thread dispatcher = Thread.currentThread();
        hub.listen(EventFilter.any(), 1000, OverflowPolicy.DROP_OLDEST, e -> {
            assertThat(Thread.currentThread()).isNotSameAs(dispatcher);
            seen.add(e.name());
            done.countDown();
        }, executor);
        for (int i = 0; i < 100; i++) {
            hub.dispatch(event("E" + i, null));
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(100).startsWith("E0", "E1").endsWith("E99");
        assertThat(seen).isSortedAccordingTo((a, b) -> Integer.compare(
                Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
    }

    @Test
    void aSlowListenerLosesCountedEventsButNeverBlocksDispatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventSubscription s = hub.listen(EventFilter.any(), 5, OverflowPolicy.DROP_OLDEST, e -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, executor);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            hub.dispatch(event("E", null));
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
        assertThat(s.droppedCount()).isBetween(10_000L - 6, 10_000L - 5);
        assertThatThrownBy(() -> s.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        release.countDown();
    }

    @Test
    void rejectsSillyCapacities() {
        assertThatThrownBy(() -> hub.subscribe(EventFilter.any(), 0, OverflowPolicy.FAIL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> EventFilter.named()).isInstanceOf(IllegalArgumentException.class);
    }
}
