package io.qmp4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The report's two charts: throughput per client and workload, latency percentiles per client. */
final class Charts {
    private static final List<Workload> THROUGHPUT = List.of(Workload.SEQ, Workload.CONC_4, Workload.CONC_16,
            Workload.CONC_1_OOB, Workload.CONC_4_OOB, Workload.CONC_16_OOB, Workload.EVENTS_1, Workload.EVENTS_8_OOB,
            Workload.MANY_QEMUS);
    private static final List<Workload> LATENCY = List.of(Workload.SEQ, Workload.CONC_16, Workload.CONC_16_OOB,
            Workload.QUERY_COMMANDS, Workload.CONNECT);

    private Charts() {
    }

    static String throughput(Summary s) {
        List<String> groups = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (Workload w : THROUGHPUT) {
            double[] row = new double[Report.CLIENTS.size()];
            boolean any = false;
            for (int c = 0; c < row.length; c++) {
                row[c] = s.headline(w, Report.CLIENTS.get(c)).median();
                any |= !Double.isNaN(row[c]);
            }
            if (any) {
                groups.add(w.id());
                rows.add(row);
            }
        }
        return SvgChart.bars("Throughput (median ops/s; higher is better)", groups, Report.CLIENTS,
                rows.toArray(new double[0][]), "/s");
    }

    static String latency(Summary s) {
        List<String> groups = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (Workload w : LATENCY) {
            addLatency(s, w, "p50", r -> r.stats().p50Micros(), groups, rows);
            addLatency(s, w, "p99", r -> r.stats().p99Micros(), groups, rows);
        }
        return SvgChart.bars("Latency percentiles (median µs; lower is better)", groups, Report.CLIENTS,
                rows.toArray(new double[0][]), " µs");
    }

    private static void addLatency(Summary s, Workload w, String label, ToDoubleFunction<Result> metric,
            List<String> groups, List<double[]> rows) {
        double[] row = new double[Report.CLIENTS.size()];
        boolean any = false;
        for (int c = 0; c < row.length; c++) {
            row[c] = s.spread(w, Report.CLIENTS.get(c), metric).median();
            any |= !Double.isNaN(row[c]);
        }
        if (any) {
            groups.add(w.id() + " " + label);
            rows.add(row);
        }
    }
}
