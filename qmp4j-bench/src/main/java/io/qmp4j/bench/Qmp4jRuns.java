package io.qmp4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * qmp4j's side of each workload, run in this JVM with the public API only, measured the way the
 * raw C client measures (same counts, a tenth more as warm-up, latency from submission to reply).
 */
final class Qmp4jRuns {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Counts counts;

    Qmp4jRuns(Counts counts) {
        this.counts = counts;
    }

    /** One connection configured as a user would, with oob as {@code oob} says. */
    static QmpConnection open(Path socket, boolean oob) {
        QmpConnection qmp = QmpConnection.builder(socket).enableOob(oob).commandTimeout(TIMEOUT).build();
        qmp.connect();
        return qmp;
    }

    /**
     * Warms the JIT before the first measured round: a few thousand unmeasured calls through the
     * sequential, concurrent and event paths (a long-running VM manager is always warm).
     */
    void warmUp(Path socket) throws InterruptedException {
        try (QmpConnection qmp = open(socket, true)) {
            for (int i = 0; i < counts.sequential() / 4; i++) {
                qmp.execute("query-status");
            }
            runCallers(qmp, 16, counts.concurrent() / 2, new long[counts.concurrent() / 2]);
            for (int i = 0; i < counts.events() / 10; i++) {
                qmp.execute(i % 2 == 0 ? "stop" : "cont");
            }
            qmp.execute("cont");
            for (int i = 0; i < counts.queryCommands() / 10; i++) {
                qmp.execute("query-commands");
            }
            // the 207 KB parse path too: with only the workload's own 3 warm-up calls it still runs
            // interpreted, which added about 10 ms per schema round trip
            for (int i = 0; i < Math.max(3, counts.schema()); i++) {
                qmp.execute("query-qmp-schema");
            }
        }
    }

    /** Sequential round trips of {@code command}; with client CPU and allocation per round trip. */
    Result sequential(Workload w, Path socket, long qemuPid, int round) {
        int n = switch (w) {
            case QUERY_COMMANDS -> counts.queryCommands();
            case SCHEMA -> counts.schema();
            default -> counts.sequential();
        };
        try (QmpConnection qmp = open(socket, true)) {
            for (int i = 0; i < Math.max(1, n / 10); i++) {
                qmp.execute(w.command());
            }
            long[] lat = new long[n];
            Resources before = Resources.now(qemuPid);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long a = System.nanoTime();
                qmp.execute(w.command());
                lat[i] = System.nanoTime() - a;
            }
            long wall = System.nanoTime() - t0;
            Resources used = Resources.now(qemuPid).minus(before);
            Map<String, Double> extra = new HashMap<>();
            if (w == Workload.SEQ) {
                extra.put("cpu_us_per_op", used.cpuSeconds * 1e6 / n);
                extra.put("client_threads_cpu_us_per_op", used.clientThreadSeconds * 1e6 / n);
                extra.put("context_switches_per_op", (double) used.switches / n);
                extra.put("alloc_bytes_per_op", (double) used.allocatedBytes / n);
                extra.put("qemu_cpu_us_per_op", used.qemuCpuSeconds * 1e6 / n);
            }
            return Result.ok(w, Result.QMP4J, round, Stats.of(lat, n, wall), extra);
        }
    }

    /** {@code w.callers()} threads sharing one connection, blocking {@code execute} each. */
    Result concurrent(Workload w, Path socket, int round) throws InterruptedException {
        int n = counts.concurrent();
        try (QmpConnection qmp = open(socket, w.oob())) {
            runCallers(qmp, w.callers(), n / 10, new long[n / 10 + 1]);
            long[] lat = new long[n];
            long t0 = System.nanoTime();
            runCallers(qmp, w.callers(), n, lat);
            long wall = System.nanoTime() - t0;
            return Result.ok(w, Result.QMP4J, round, Stats.of(lat, n, wall), Map.of());
        }
    }

    private static void runCallers(QmpConnection qmp, int threads, int n, long[] lat) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                    long a = System.nanoTime();
                    try {
                        qmp.execute("query-status");
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                    lat[i] = System.nanoTime() - a;
                }
            }, "bench-caller-" + t);
            thread.start();
            callers.add(thread);
        }
        for (Thread thread : callers) {
            thread.join(TimeUnit.MINUTES.toMillis(3));
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Alternating stop/cont from one submitting thread with up to {@code w.callers()} in flight,
     * counting STOP/RESUME events through a subscription; events per second of the commands' wall time.
     */
    Result events(Workload w, Path socket, int round) throws InterruptedException {
        int n = counts.events();
        try (QmpConnection qmp = open(socket, w.oob());
                EventSubscription sub = qmp.subscribe(EventFilter.named("STOP", "RESUME"), n + 64,
                        OverflowPolicy.DROP_NEWEST)) {
            JsonNode status = qmp.execute("query-status");
            boolean paused = !status.path("running").asBoolean();
            long[] lat = new long[n];
            Semaphore window = new Semaphore(w.callers());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n && failure.get() == null; i++) {
                String command = ((i % 2 == 0) == paused) ? "cont" : "stop";
                window.acquire();
                long a = System.nanoTime();
                int index = i;
                CompletableFuture<JsonNode> reply = qmp.executeAsync(command);
                reply.whenComplete((v, e) -> {
                    lat[index] = System.nanoTime() - a;
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                    window.release();
                });
            }
            window.acquire(w.callers());
            long wall = System.nanoTime() - t0;
            if (failure.get() != null) {
                return Result.failed(w, Result.QMP4J, round, String.valueOf(failure.get()));
            }
            Thread.sleep(200); // trailing events, as the C client waits for them
            double events = sub.size() + sub.droppedCount();
            Stats s = Stats.of(lat, n, wall);
            Stats byEvents = new Stats(s.count(), s.wallSeconds(), events / s.wallSeconds(), s.meanMicros(),
                    s.p50Micros(), s.p99Micros(), s.maxMicros());
            return Result.ok(w, Result.QMP4J, round, byEvents, Map.of("events", events));
        }
    }

    /**
     * Connect + greeting + negotiation, {@code counts.connects()} times with a 2 ms pause between
     * (as the C client pauses). Whether another connection is open meanwhile is the caller's choice.
     * The negotiation enables oob only for {@link Workload#CONNECT_OOB}; {@link Workload#CONNECT_LOOP}
     * turns off qmp4j's caller-thread handshake for its duration.
     */
    Result connect(Workload w, Path socket, int round) throws InterruptedException {
        if (w == Workload.CONNECT_LOOP) {
            System.setProperty(CALLER_HANDSHAKE, "false");
        }
        try {
            return connectLoop(w, socket, round);
        } finally {
            System.clearProperty(CALLER_HANDSHAKE);
        }
    }

    private Result connectLoop(Workload w, Path socket, int round) throws InterruptedException {
        int n = counts.connects();
        int warm = Math.max(1, n / 10);
        long[] lat = new long[n];
        long t0 = System.nanoTime();
        for (int i = -warm; i < n; i++) {
            QmpConnection qmp = QmpConnection.builder(socket).enableOob(w.oob()).build();
            long a = System.nanoTime();
            qmp.connect();
            long took = System.nanoTime() - a;
            qmp.close();
            if (i == -1) {
                t0 = System.nanoTime();
            }
            if (i >= 0) {
                lat[i] = took;
            }
            Thread.sleep(2);
        }
        return Result.ok(w, Result.QMP4J, round, Stats.of(lat, n, System.nanoTime() - t0), Map.of());
    }

    /** qmp4j-core's switch for its caller-thread handshake (read at every connect). */
    private static final String CALLER_HANDSHAKE = "qmp4j.callerHandshake";

    /** One thread per QEMU, each running sequential round trips on its own connection. */
    Result many(List<Path> sockets, int round) throws InterruptedException {
        List<QmpConnection> connections = new ArrayList<>();
        try {
            for (Path socket : sockets) {
                connections.add(open(socket, true));
            }
            int perQemu = counts.perQemu() + counts.perQemu() / 10;
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (QmpConnection qmp : connections) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < perQemu; i++) {
                            qmp.execute("query-status");
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, "bench-many");
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(3));
            }
            long wall = System.nanoTime() - t0;
            if (failure.get() != null) {
                return Result.failed(Workload.MANY_QEMUS, Result.QMP4J, round, failure.get().toString());
            }
            return Result.ok(Workload.MANY_QEMUS, Result.QMP4J, round,
                    PeerRuns.aggregate((long) perQemu * sockets.size(), wall), Map.of());
        } finally {
            connections.forEach(QmpConnection::close);
        }
    }

    /**
     * At one instant: process CPU, CPU of the threads that do the client's work (callers and
     * {@code qmp4j-io-*}), bytes allocated by all live threads, context switches of all threads,
     * and QEMU's CPU.
     */
    private record Resources(double cpuSeconds, double clientThreadSeconds, long allocatedBytes, long switches,
            double qemuCpuSeconds) {
        static Resources now(long qemuPid) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocated = 0;
            for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                allocated += Math.max(0, a);
            }
            long clientNanos = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t == Thread.currentThread() || t.getName().startsWith("qmp4j-io")) {
                    clientNanos += Math.max(0, threads.getThreadCpuTime(t.getId()));
                }
            }
            return new Resources(os.getProcessCpuTime() / 1e9, clientNanos / 1e9, allocated, contextSwitches(),
                    Proc.cpuSeconds(qemuPid));
        }

        Resources minus(Resources earlier) {
            return new Resources(cpuSeconds - earlier.cpuSeconds, clientThreadSeconds - earlier.clientThreadSeconds,
                    allocatedBytes - earlier.allocatedBytes, switches - earlier.switches,
                    qemuCpuSeconds - earlier.qemuCpuSeconds);
        }

        /** Voluntary plus involuntary context switches of every thread of this process (Linux). */
        private static long contextSwitches() {
            long total = 0;
            try (var tasks = java.nio.file.Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return 0; // a thread that ended meanwhile, or not Linux
            }
            return total;
        }
    }
}
