package io.qmp4j.bench;

/** The side-by-side workloads; each names how the raw C client and go-qemu run it. */
public enum Workload {
    /** One caller, one {@code query-status} at a time (C: {@code seq}). */
    SEQ("seq", "sequential query-status", Metric.THROUGHPUT, 1, false, "query-status"),
    /** Concurrent callers without oob (C: {@code pipe N K}, K requests in flight). */
    CONC_1("conc-1", "1 caller, no oob", Metric.THROUGHPUT, 1, false, "query-status"),
    /** 4 callers without oob. */
    CONC_4("conc-4", "4 callers, no oob", Metric.THROUGHPUT, 4, false, "query-status"),
    /** 16 callers without oob. */
    CONC_16("conc-16", "16 callers, no oob", Metric.THROUGHPUT, 16, false, "query-status"),
    /** 1 caller with the oob capability (QEMU queues up to 8 in-band commands). */
    CONC_1_OOB("conc-1-oob", "1 caller, oob", Metric.THROUGHPUT, 1, true, "query-status"),
    /** 4 callers with oob. */
    CONC_4_OOB("conc-4-oob", "4 callers, oob", Metric.THROUGHPUT, 4, true, "query-status"),
    /** 16 callers with oob. */
    CONC_16_OOB("conc-16-oob", "16 callers, oob", Metric.THROUGHPUT, 16, true, "query-status"),
    /** {@code query-commands}, a 6.5 KB reply (C: {@code big}). */
    QUERY_COMMANDS("query-commands", "query-commands (6.5 KB reply)", Metric.MEAN_LATENCY, 1, false,
            "query-commands"),
    /** {@code query-qmp-schema}, a 207 KB reply on one line. */
    SCHEMA("query-qmp-schema", "query-qmp-schema (207 KB reply)", Metric.MEAN_LATENCY, 1, false,
            "query-qmp-schema"),
    /** Alternating stop/cont, one at a time, counting STOP/RESUME events (C: {@code events N 1}). */
    EVENTS_1("events-1", "stop/cont events, 1 in flight", Metric.THROUGHPUT, 1, false, null),
    /** Alternating stop/cont, 8 in flight with oob. */
    EVENTS_8_OOB("events-8-oob", "stop/cont events, 8 in flight, oob", Metric.THROUGHPUT, 8, true, null),
    /**
     * Connect, greeting, plain {@code qmp_capabilities} (the raw C client's handshake), with
     * another monitor open in the process.
     */
    CONNECT("connect", "connect + greeting + negotiation", Metric.MEAN_LATENCY, 1, false, null),
    /** The same with no other connection open: qmp4j also starts its I/O thread. */
    CONNECT_COLD("connect-cold", "connect + greeting + negotiation, first connection in the JVM",
            Metric.MEAN_LATENCY, 1, false, null),
    /** qmp4j's default handshake, which also enables oob (the raw C client's is plain); vs its plain one. */
    CONNECT_OOB("connect-oob", "connect + greeting + negotiation enabling oob (qmp4j's default)",
            Metric.MEAN_LATENCY, 1, true, null),
    /** The plain handshake run by the event loop, as qmp4j does without JNA or over TCP/TLS. */
    CONNECT_LOOP("connect-loop", "connect + greeting + negotiation on the event loop (without JNA)",
            Metric.MEAN_LATENCY, 1, false, null),
    /** Many real QEMUs driven at once, one sequential caller each; aggregate round trips/s. */
    MANY_QEMUS("many-qemus", "50 real QEMUs at once, aggregate", Metric.THROUGHPUT, 1, false, "query-status");

    /** What a workload's headline figure is, and which way is better. */
    public enum Metric {
        /** Operations (round trips or events) per second; higher is better. */
        THROUGHPUT,
        /** Mean latency in µs; lower is better. */
        MEAN_LATENCY
    }

    private final String id;
    private final String title;
    private final Metric metric;
    private final int callers;
    private final boolean oob;
    private final String command;

    Workload(String id, String title, Metric metric, int callers, boolean oob, String command) {
        this.id = id;
        this.title = title;
        this.metric = metric;
        this.callers = callers;
        this.oob = oob;
        this.command = command;
    }

    /** The short name used on the command line and in the report. */
    public String id() {
        return id;
    }

    /** A one-line description. */
    public String title() {
        return title;
    }

    /** The headline metric. */
    public Metric metric() {
        return metric;
    }

    /** Concurrent callers (or requests in flight for the C client). */
    public int callers() {
        return callers;
    }

    /** Whether the oob capability is negotiated. */
    public boolean oob() {
        return oob;
    }

    /** The QMP command, or null for stop/cont and connect workloads. */
    public String command() {
        return command;
    }

    /** The raw C workload this one's ratio is taken against (itself, except for the connect variants). */
    public Workload baseline() {
        return this == CONNECT_COLD || this == CONNECT_OOB || this == CONNECT_LOOP ? CONNECT : this;
    }

    /** Whether only qmp4j runs this workload (its raw C figure is another workload's). */
    public boolean qmp4jOnly() {
        return baseline() != this;
    }

    /** The headline value of {@code stats} for this workload. */
    public double headline(Stats stats) {
        return metric == Metric.THROUGHPUT ? stats.perSecond() : stats.meanMicros();
    }

    /** The workload with this id. */
    public static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'");
    }
}
