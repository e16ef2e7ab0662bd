package io.qmp4j.bench;

import java.util.Map;

/**
 * One client's measurement of one workload in one round.
 *
 * @param workload what was measured
 * @param client   {@link #RAW_C}, {@link #QMP4J} or {@link #GO_QEMU}
 * @param round    the round, from 1
 * @param stats    throughput and latency; null when the run failed
 * @param extra    further figures (for example {@code cpu_us_per_op}); may be empty
 * @param failure  why the run failed, or null
 */
public record Result(Workload workload, String client, int round, Stats stats, Map<String, Double> extra,
        String failure) {
    /** The raw C client of the perf directory. */
    public static final String RAW_C = "raw C";
    /** This project's client. */
    public static final String QMP4J = "qmp4j";
    /** go-qemu's {@code qmp.SocketMonitor}. */
    public static final String GO_QEMU = "go-qemu";

    /** A successful measurement. */
    public static Result ok(Workload workload, String client, int round, Stats stats, Map<String, Double> extra) {
        return new Result(workload, client, round, stats, Map.copyOf(extra), null);
    }

    /** A failed run, with the reason. */
    public static Result failed(Workload workload, String client, int round, String failure) {
        return new Result(workload, client, round, null, Map.of(), failure);
    }

    /** The workload's headline value, or NaN for a failed run. */
    public double headline() {
        return stats == null ? Double.NaN : workload.headline(stats);
    }
}
