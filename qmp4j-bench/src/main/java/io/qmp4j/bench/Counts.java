package io.qmp4j.bench;

/**
 * How many operations each workload measures (warm-up comes on top: a tenth, as the raw C
 * client does).
 *
 * @param sequential      sequential round trips
 * @param concurrent      round trips per concurrent-callers run
 * @param queryCommands   {@code query-commands} round trips
 * @param schema          {@code query-qmp-schema} round trips
 * @param events          stop/cont commands per events run
 * @param connects        connect + handshake repetitions
 * @param manyQemus       QEMUs driven at once
 * @param perQemu         round trips per QEMU in that run
 * @param idleConnections idle connections held in one JVM
 */
public record Counts(int sequential, int concurrent, int queryCommands, int schema, int events, int connects,
        int manyQemus, int perQemu, int idleConnections) {
    /** The documented full run. */
    public static final Counts FULL = new Counts(20_000, 10_000, 500, 30, 10_000, 500, 50, 1_000, 10_000);
    /** A run of seconds that only proves every part works (CI). */
    public static final Counts SMOKE = new Counts(300, 200, 20, 3, 200, 10, 3, 50, 200);

    /** These counts multiplied by {@code factor} (at least 1 each; QEMU and connection counts kept). */
    public Counts scaled(double factor) {
        return new Counts(s(sequential, factor), s(concurrent, factor), s(queryCommands, factor), s(schema, factor),
                s(events, factor), s(connects, factor), manyQemus, s(perQemu, factor), idleConnections);
    }

    private static int s(int n, double factor) {
        return Math.max(2, (int) Math.round(n * factor));
    }
}
