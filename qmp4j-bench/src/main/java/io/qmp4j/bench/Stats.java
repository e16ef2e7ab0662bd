package io.qmp4j.bench;

import java.util.Arrays;

/**
 * Throughput and latency of one measured run, computed the way the raw C client computes them:
 * operations over wall time, and nearest-rank percentiles of per-operation latencies.
 *
 * @param count     operations measured
 * @param wallSeconds wall time of the measured part
 * @param perSecond count / wallSeconds
 * @param meanMicros mean latency
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param maxMicros largest latency
 */
public record Stats(long count, double wallSeconds, double perSecond, double meanMicros, double p50Micros,
        double p99Micros, double maxMicros) {

    /** Stats over {@code latencies} (nanoseconds; sorted in place) measured in {@code wallNanos}. */
    public static Stats of(long[] latencies, int n, long wallNanos) {
        if (n == 0) {
            throw new IllegalArgumentException("no operation was measured");
        }
        Arrays.sort(latencies, 0, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += latencies[i];
        }
        double wall = wallNanos / 1e9;
        return new Stats(n, wall, n / wall, sum / n / 1e3, latencies[(int) (0.50 * (n - 1))] / 1e3,
                latencies[(int) (0.99 * (n - 1))] / 1e3, latencies[n - 1] / 1e3);
    }
}
