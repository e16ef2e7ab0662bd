package io.qmp4j.bench;

import io.qmp4j.QmpConnection;
import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.qemu.QemuStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The side-by-side benchmark: for every workload and round, a fresh real QEMU per client, then
 * the raw C client, qmp4j and go-qemu on it, one after another; the many-monitors runs; the JMH
 * benchmarks; and the report ({@code docs/benchmarks.md} plus SVG charts). Run it with
 * {@code bench/run.sh} (which builds everything); {@code --help} lists the options.
 */
public final class Harness {
    private final HarnessOptions options;
    private final List<Result> results = new ArrayList<>();
    private final List<Map<String, Double>> idleRuns = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private Peers peers;
    private PeerRuns peerRuns;
    private Qmp4jRuns qmp4j;

    Harness(HarnessOptions options) {
        this.options = options;
    }

    /** Runs the benchmark and writes the report; exit code 0 on success, 1 when a run failed, 2 on bad options. */
    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(HarnessOptions.usage());
            return;
        }
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report.Data data = new Harness(options).run();
        System.out.println("bench: report written to " + options.out());
        System.exit(data.failures() == 0 ? 0 : 1);
    }

    /** Runs everything the options ask for and writes the report. */
    Report.Data run() throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String loadBefore = MachineInfo.loadAverage();
        Files.createDirectories(options.workDir());
        peers = Peers.build(options.perfDir(), options.workDir(), options.go());
        // notes go into the committed report: name the perf directory relative to the repository
        String perf = options.perfDir().toString();
        String shown = options.repoRoot().relativize(options.perfDir()).toString();
        peers.notes().forEach(n -> notes.add(n.replace(perf, shown)));
        notes.forEach(n -> log("note: " + n));
        peerRuns = new PeerRuns(peers, options.counts(), options.workDir());
        qmp4j = new Qmp4jRuns(options.counts());
        Path samples = options.workDir().resolve("reply-samples");
        Map<String, Integer> sampleSizes = ReplySamples.capture(samples);
        log("warming up the JVM (unmeasured)...");
        try (QemuProcess qemu = startQemu()) {
            qmp4j.warmUp(qemu.qmpSocket());
        }
        awaitJitQuiet();
        for (int round = 1; round <= options.rounds(); round++) {
            for (Workload w : options.workloads()) {
                if (w != Workload.MANY_QEMUS) {
                    runWorkload(w, round);
                }
            }
            if (options.workloads().contains(Workload.MANY_QEMUS)) {
                runMany(round);
            }
            if (options.idle()) {
                runIdle(round);
            }
        }
        if (QEMU_RETRIES.get() > 0) {
            notes.add("QEMU start was retried " + QEMU_RETRIES.get() + " time(s): QEMU 7.2 sometimes sends the RESUME"
                    + " event of its own start-up before the greeting to a client that connects at that moment, and"
                    + " the test kit's readiness probe rejects it");
        }
        List<JmhRun.Row> jmh = List.of();
        if (options.jmh()) {
            log("JMH (-prof gc)" + (options.smoke() ? ", smoke" : ", 3 forks") + "...");
            jmh = JmhRun.run(options.smoke(), samples, options.workDir().resolve("jmh.log"));
        }
        Report.Data data = new Report.Data(options, MachineInfo.describe(peers), notes, started,
                Duration.ofNanos(System.nanoTime() - t0), loadBefore, MachineInfo.loadAverage(), sampleSizes,
                List.copyOf(results), List.copyOf(idleRuns), jmh);
        Report.write(data);
        return data;
    }

    /**
     * Waits (at most 20 s) until the JIT has compiled nothing for half a second, so that its
     * compiler threads do not take CPU from the first round's QEMU and clients.
     */
    private void awaitJitQuiet() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    private void runWorkload(Workload w, int round) throws Exception {
        if (!w.qmp4jOnly()) {
            try (QemuProcess qemu = startQemu()) {
                add(peerRuns.rawC(w, qemu.qmpSocket().toString(), qemu.pid(), round));
            }
        }
        try (QemuProcess qemu = startQemu()) {
            add(runQmp4j(w, qemu, round));
        }
        if (peers.goQemu() != null && !w.qmp4jOnly()) {
            try (QemuProcess qemu = startQemu()) {
                add(peerRuns.goQemu(w, qemu.qmpSocket().toString(), round));
            }
        }
    }

    private Result runQmp4j(Workload w, QemuProcess qemu, int round) throws Exception {
        try {
            return switch (w) {
                case SEQ, QUERY_COMMANDS, SCHEMA -> qmp4j.sequential(w, qemu.qmpSocket(), qemu.pid(), round);
                case EVENTS_1, EVENTS_8_OOB -> qmp4j.events(w, qemu.qmpSocket(), round);
                case CONNECT_COLD -> qmp4j.connect(w, qemu.qmpSocket(), round);
                case CONNECT, CONNECT_OOB, CONNECT_LOOP -> {
                    // a VM manager has other monitors open: the I/O threads are already running
                    try (QemuProcess other = startQemu();
                            QmpConnection keeper = Qmp4jRuns.open(other.qmpSocket(), true)) {
                        yield qmp4j.connect(w, qemu.qmpSocket(), round);
                    }
                }
                default -> qmp4j.concurrent(w, qemu.qmpSocket(), round);
            };
        } catch (RuntimeException e) {
            return Result.failed(w, Result.QMP4J, round, e.toString());
        }
    }

    private void runMany(int round) throws Exception {
        int n = options.counts().manyQemus();
        log("starting " + n + " QEMUs...");
        List<QemuProcess> qemus = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(4);
        try {
            List<Future<QemuProcess>> started = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                started.add(starter.submit(Harness::startQemu));
            }
            for (Future<QemuProcess> f : started) {
                qemus.add(f.get());
            }
            List<String> sockets = new ArrayList<>();
            List<Path> paths = new ArrayList<>();
            for (QemuProcess q : qemus) {
                sockets.add(q.qmpSocket().toString());
                paths.add(q.qmpSocket());
            }
            add(peerRuns.rawCMany(sockets, round));
            try {
                add(qmp4j.many(paths, round));
            } catch (RuntimeException e) {
                add(Result.failed(Workload.MANY_QEMUS, Result.QMP4J, round, e.toString()));
            }
        } finally {
            starter.shutdownNow();
            qemus.forEach(QemuProcess::close);
        }
    }

    private void runIdle(int round) throws java.io.IOException {
        int n = options.counts().idleConnections();
        Path socket = options.workDir().resolve("idle.sock");
        Files.deleteIfExists(socket); // a stale one would look like a ready server
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        String cp = String.join(java.io.File.pathSeparator, entries);
        Proc.Running server = Proc.start(List.of(javaBin, "-Xmx256m", "-cp", cp, IdleServer.class.getName(),
                socket.toString(), "300"), options.workDir(), Map.of());
        try {
            waitFor(socket);
            Proc.Output out = Proc.run(List.of(javaBin, "-Xmx1g", "-cp", cp, IdleConnections.class.getName(),
                    socket.toString(), Integer.toString(n)), options.workDir(), Map.of(), Duration.ofMinutes(5));
            String line = out.lastLine("idle ");
            if (out.exitCode() != 0 || line == null) {
                notes.add("round " + round + ": idle connections run failed, " + out.failure());
                log("idle connections FAILED: " + out.failure());
                return;
            }
            Map<String, Double> values = new java.util.LinkedHashMap<>();
            KeyValues.parse(line).forEach((k, v) -> values.put(k, Double.parseDouble(v)));
            idleRuns.add(values);
            log("round " + round + " idle: " + line.substring(5));
        } finally {
            server.kill();
        }
    }

    /**
     * A fresh QEMU. Retried twice: QEMU 7.2 can send the RESUME event of its own start-up before the
     * greeting to a client that connects at that moment, which the test kit's readiness probe
     * rejects.
     */
    private static final java.util.concurrent.atomic.AtomicInteger QEMU_RETRIES =
            new java.util.concurrent.atomic.AtomicInteger();

    private static QemuProcess startQemu() {
        for (int attempt = 1; ; attempt++) {
            try {
                return QemuProcess.start();
            } catch (QemuStartException e) {
                if (attempt == 3) {
                    throw e;
                }
                QEMU_RETRIES.incrementAndGet();
                log("QEMU start failed (" + e.getMessage().lines().findFirst().orElse("") + "); retrying");
            }
        }
    }

    private static void waitFor(Path socket) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void add(Result r) {
        if (r == null) {
            return;
        }
        results.add(r);
        if (r.failure() != null) {
            log(String.format(Locale.ROOT, "round %d %-14s %-8s FAILED: %s", r.round(), r.workload().id(), r.client(),
                    r.failure()));
        } else {
            Stats s = r.stats();
            log(String.format(Locale.ROOT, "round %d %-14s %-8s %9.0f/s  mean %8.1f us  p50 %8.1f  p99 %8.1f  %s",
                    r.round(), r.workload().id(), r.client(), s.perSecond(), s.meanMicros(), s.p50Micros(),
                    s.p99Micros(), r.extra().isEmpty() ? "" : r.extra()));
        }
    }

    private static final long START = System.nanoTime();

    private static void log(String line) {
        System.out.printf(Locale.ROOT, "bench %6.1fs: %s%n", (System.nanoTime() - START) / 1e9, line);
        System.out.flush();
    }
}
