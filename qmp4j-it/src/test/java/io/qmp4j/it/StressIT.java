package io.qmp4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpCommandNotFoundException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stress against real QEMU: 64 threads of mixed commands (sync, async, with and without
 * arguments, errors on purpose) while a stop/cont loop makes an event storm and one subscriber
 * is deliberately slow. Nothing may be lost, duplicated or mismatched; overflow is counted
 * exactly; the heap stays bounded. Also: {@code quit} with 50 calls in flight.
 */
@RequiresQemu
class StressIT {
    private static final int THREADS = 64;
    private static final int CALLS_PER_THREAD = 150;

    @Test
    void sixtyFourThreadsWithAnEventStormAndASlowSubscriber() throws Exception {
        long heapBefore = usedHeapAfterGc();
        AtomicInteger checked = new AtomicInteger();
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicLong slowSeen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
        try (QemuProcess qemu = QemuProcess.start();
                QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).commandTimeout(Duration.ofSeconds(30))
                        .build()) {
            qmp.connect();
            EventFilter stormEvents = EventFilter.named("STOP", "RESUME");
            EventSubscription exact = qmp.subscribe(stormEvents, 1_000_000, OverflowPolicy.FAIL);
            EventSubscription slow = qmp.subscribe(stormEvents, 16, OverflowPolicy.DROP_OLDEST);
            Future<Integer> storm = pool.submit(() -> {
                int cycles = 0;
                while (storming.get()) {
                    qmp.execute("stop");
                    qmp.execute("cont");
                    cycles++;
                }
                return cycles;
            });
            Future<?> slowReader = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (slow.poll(Duration.ofMillis(200)).isPresent()) {
                        slowSeen.incrementAndGet();
                        Thread.sleep(2); // deliberately slower than the storm
                    } else if (!storming.get()) {
                        return null;
                    }
                }
                return null;
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        mixedCall(qmp, thread, i);
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(300, TimeUnit.SECONDS);
            }
            storming.set(false);
            int cycles = storm.get(30, TimeUnit.SECONDS);
            slowReader.get(30, TimeUnit.SECONDS);

            assertThat(checked).hasValue(THREADS * CALLS_PER_THREAD);
            assertThat(cycles).isGreaterThan(10);
            // Every STOP and RESUME arrived exactly once, in order, for the subscriber that had room.
            List<QmpEvent> events = exact.drain();
            assertThat(events).hasSize(2 * cycles);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).name()).isEqualTo(i % 2 == 0 ? "STOP" : "RESUME");
            }
            assertThat(exact.droppedCount()).isZero();
            // The slow one lost only what its 16 places could not hold, counted exactly.
            long leftInSlow = slow.drain().size();
            assertThat(slowSeen.get() + leftInSlow + slow.droppedCount()).isEqualTo(2L * cycles);
            assertThat(qmp.state()).isEqualTo(ConnectionState.RUNNING);
            assertThat(qmp.execute("query-status").path("status").asText()).isEqualTo("running");
        } finally {
            pool.shutdownNow();
        }
        long heapAfter = usedHeapAfterGc();
        assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes").isLessThan(64L << 20);
    }

    /** One command whose reply proves it is this call's own (names and paths are unique per call). */
    private static void mixedCall(QmpConnection qmp, int thread, int i) {
        switch (i % 6) {
            case 0 -> assertThat(qmp.execute("query-status").path("status").asText()).isIn("running", "paused");
            case 1 -> {
                String name = "x-missing-" + thread + "-" + i;
                assertThatThrownBy(() -> qmp.execute(name)).isInstanceOf(QmpCommandNotFoundException.class)
                        .hasMessageContaining("The command " + name + " has not been found");
            }
            case 2 -> {
                String path = "/x-nowhere-" + thread + "-" + i;
                CompletableFuture<JsonNode> f = qmp.executeAsync("qom-list", Map.of("path", path));
                assertThat(f).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                        .havingCause().isInstanceOf(QmpCommandException.class).withMessageContaining(path);
            }
            case 3 -> assertThat(qmp.executeAsync("qom-get", Map.of("path", "/machine", "property", "type")))
                    .succeedsWithin(Duration.ofSeconds(30)).extracting(JsonNode::asText).isEqualTo("none-machine");
            case 4 -> assertThat(qmp.execute("query-version").path("qemu").path("major").asInt()).isEqualTo(7);
            default -> assertThat(qmp.execute("human-monitor-command", Map.of("command-line", "info name")))
                    .isNotNull();
        }
    }

    @Test
    void quitWithFiftyCallsInFlight() throws Exception {
        try (QemuProcess qemu = QemuProcess.start();
                QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
            qmp.connect();
            List<CompletableFuture<JsonNode>> before = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                before.add(qmp.executeAsync("query-status"));
            }
            CompletableFuture<JsonNode> quit = qmp.executeAsync("quit");
            List<CompletableFuture<JsonNode>> after = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                after.add(qmp.executeAsync("query-status"));
            }
            qmp.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // Everything before quit was answered in order; quit itself may or may not see its
            // reply before QEMU closes; everything after it fails as closed. Nothing hangs.
            for (CompletableFuture<JsonNode> f : before) {
                assertThat(f).succeedsWithin(Duration.ofSeconds(5));
            }
            assertThat(quit).succeedsWithin(Duration.ofSeconds(5));
            for (CompletableFuture<JsonNode> f : after) {
                assertThat(f).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                        .havingCause().isInstanceOf(QmpConnectionClosedException.class);
            }
            assertThat(qmp.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void sigkillFailsPendingCallsWithinAHundredMilliseconds() throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            try (QemuProcess qemu = QemuProcess.start();
                    QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
                qmp.connect();
                qemu.suspend(); // the calls stay pending until the kill
                List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    pending.add(qmp.executeAsync("query-status", (JsonNode) null, Duration.ofSeconds(30)));
                }
                Thread.sleep(50);
                long t0 = System.nanoTime();
                qemu.kill();
                CompletableFuture.allOf(pending.stream().map(f -> f.exceptionally(e -> null))
                        .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
                micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
                for (CompletableFuture<JsonNode> f : pending) {
                    assertThat(f).failsWithin(Duration.ZERO).withThrowableThat()
                            .havingCause().isInstanceOf(QmpConnectionClosedException.class);
                }
            }
        }
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.println("SIGKILL to all 20 pending calls failed, µs (5 rounds, sorted): " + sorted);
        assertThat(sorted.get(2)).as("median µs").isLessThan(100_000);
        assertThat(sorted.get(4)).as("max µs").isLessThan(1_000_000);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
