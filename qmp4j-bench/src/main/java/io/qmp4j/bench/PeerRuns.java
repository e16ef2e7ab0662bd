package io.qmp4j.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the raw C client and the go-qemu peer on a workload and parses what they print. */
final class PeerRuns {
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    private final Peers peers;
    private final Counts counts;
    private final Path workDir;

    PeerRuns(Peers peers, Counts counts, Path workDir) {
        this.peers = peers;
        this.counts = counts;
        this.workDir = workDir;
    }

    /** The raw C client's run of {@code w} on {@code socket}, or null when it has no such mode. */
    Result rawC(Workload w, String socket, long qemuPid, int round) {
        if (peers.rawC() == null) {
            return null;
        }
        String c = peers.rawC().toString();
        List<String> cmd = switch (w) {
            case SEQ -> List.of(c, socket, "seq", Integer.toString(counts.sequential()));
            case CONC_1, CONC_4, CONC_16, CONC_1_OOB, CONC_4_OOB, CONC_16_OOB -> pipe(c, socket, w);
            case QUERY_COMMANDS -> List.of(c, socket, "big", w.command(), Integer.toString(counts.queryCommands()));
            case SCHEMA -> List.of(c, socket, "big", w.command(), Integer.toString(counts.schema()));
            case EVENTS_1, EVENTS_8_OOB -> events(c, socket, w);
            case CONNECT -> List.of(c, socket, "conn", Integer.toString(counts.connects()));
            default -> null;
        };
        if (cmd == null) {
            return null;
        }
        double cpu0 = Proc.cpuSeconds(qemuPid);
        Proc.Output out = Proc.run(Proc.withCpuTime(cmd), workDir, Map.of("QB_DEADLINE_S", "120"), DEADLINE);
        double qemuCpu = Proc.cpuSeconds(qemuPid) - cpu0;
        String prefix = switch (w) {
            case SEQ -> "seq ";
            case QUERY_COMMANDS, SCHEMA -> "big ";
            case EVENTS_1, EVENTS_8_OOB -> "events ";
            case CONNECT -> "conn ";
            default -> "pipe ";
        };
        String line = out.lastLine(prefix);
        if (out.exitCode() != 0 || line == null) {
            return Result.failed(w, Result.RAW_C, round, out.failure());
        }
        Map<String, String> kv = KeyValues.parse(line);
        Stats stats = stats(kv, line, w == Workload.EVENTS_1 || w == Workload.EVENTS_8_OOB ? "events_per_s" : "per_s");
        Map<String, Double> extra = new HashMap<>();
        if (w == Workload.SEQ) {
            // the C client's CPU covers its warm-up tenth too
            long ops = counts.sequential() + counts.sequential() / 10L;
            extra.put("cpu_us_per_op", Proc.childCpuSeconds(out) * 1e6 / ops);
            extra.put("qemu_cpu_us_per_op", qemuCpu * 1e6 / ops);
        }
        if (kv.containsKey("events")) {
            extra.put("events", Double.parseDouble(kv.get("events")));
        }
        return Result.ok(w, Result.RAW_C, round, stats, extra);
    }

    private List<String> pipe(String c, String socket, Workload w) {
        List<String> cmd = new ArrayList<>(List.of(c, socket, "pipe", Integer.toString(counts.concurrent()),
                Integer.toString(w.callers())));
        if (w.oob()) {
            cmd.add("oob");
        }
        return cmd;
    }

    private List<String> events(String c, String socket, Workload w) {
        List<String> cmd = new ArrayList<>(List.of(c, socket, "events", Integer.toString(counts.events()),
                Integer.toString(w.callers())));
        if (w.oob()) {
            cmd.add("oob");
        }
        return cmd;
    }

    /** The go-qemu peer's run of {@code w}, or null when it has no such mode (go-qemu has no oob). */
    Result goQemu(Workload w, String socket, int round) {
        if (peers.goQemu() == null) {
            return null;
        }
        String g = peers.goQemu().toString();
        List<String> cmd = switch (w) {
            case SEQ -> List.of(g, "-sock", socket, "-n", Integer.toString(counts.sequential()));
            case CONC_4, CONC_16 -> List.of(g, "-sock", socket, "-n", Integer.toString(counts.concurrent()),
                    "-g", Integer.toString(w.callers()));
            case QUERY_COMMANDS -> List.of(g, "-sock", socket, "-n", Integer.toString(counts.queryCommands()),
                    "-cmd", w.command());
            case SCHEMA -> List.of(g, "-sock", socket, "-n", Integer.toString(counts.schema()), "-cmd", w.command());
            case EVENTS_1 -> List.of(g, "-sock", socket, "-n", Integer.toString(counts.events()), "-events");
            default -> null;
        };
        if (cmd == null) {
            return null;
        }
        Proc.Output out = Proc.run(Proc.withCpuTime(cmd), workDir, Map.of(), DEADLINE);
        String line = out.lastLine("go-qemu ");
        if (out.exitCode() != 0 || line == null) {
            return Result.failed(w, Result.GO_QEMU, round, out.failure());
        }
        Map<String, String> kv = KeyValues.parse(line);
        Map<String, Double> extra = new HashMap<>();
        Stats stats;
        if (w == Workload.EVENTS_1) {
            double events = KeyValues.number(kv, "events", line);
            double perSecond = KeyValues.number(kv, "events_per_s", line);
            stats = new Stats((long) KeyValues.number(kv, "n", line), events / perSecond, perSecond, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
            extra.put("events", events);
        } else {
            stats = stats(kv, line, "per_s");
        }
        if (w == Workload.SEQ) {
            long ops = counts.sequential() + counts.sequential() / 10L;
            extra.put("cpu_us_per_op", Proc.childCpuSeconds(out) * 1e6 / ops);
        }
        return Result.ok(w, Result.GO_QEMU, round, stats, extra);
    }

    /** Starts {@code qemus.size()} raw C sequential clients at once; aggregate round trips/s over the whole run. */
    Result rawCMany(List<String> sockets, int round) {
        if (peers.rawC() == null) {
            return null;
        }
        List<Proc.Running> running = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String socket : sockets) {
            running.add(Proc.start(List.of(peers.rawC().toString(), socket, "seq",
                    Integer.toString(counts.perQemu())), workDir, Map.of("QB_DEADLINE_S", "120")));
        }
        long failed = 0;
        String failure = null;
        for (Proc.Running r : running) {
            Proc.Output out = r.await(DEADLINE);
            if (out.exitCode() != 0) {
                failed++;
                failure = out.failure();
            }
        }
        long wall = System.nanoTime() - t0;
        if (failed > 0) {
            return Result.failed(Workload.MANY_QEMUS, Result.RAW_C, round, failed + " clients failed, e.g. " + failure);
        }
        // warm-up tenth included, as in qmp4j's run of the same workload
        long ops = sockets.size() * (counts.perQemu() + counts.perQemu() / 10L);
        return Result.ok(Workload.MANY_QEMUS, Result.RAW_C, round, aggregate(ops, wall), Map.of());
    }

    /** Throughput-only stats for an aggregate run. */
    static Stats aggregate(long ops, long wallNanos) {
        double wall = wallNanos / 1e9;
        return new Stats(ops, wall, ops / wall, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static Stats stats(Map<String, String> kv, String line, String rateKey) {
        return new Stats((long) KeyValues.number(kv, "n", line), KeyValues.number(kv, "wall_s", line),
                KeyValues.number(kv, rateKey, line), KeyValues.number(kv, "mean_us", line),
                KeyValues.number(kv, "p50_us", line), KeyValues.number(kv, "p99_us", line),
                KeyValues.number(kv, "max_us", line));
    }
}
