package io.qmp4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Medians, extremes and same-round ratios over the rounds of a run. */
final class Summary {
    private final List<Result> results;

    Summary(List<Result> results) {
        this.results = results;
    }

    /**
     * A median with its range.
     *
     * @param median the median (NaN when there is no value)
     * @param min    the smallest value
     * @param max    the largest value
     * @param n      how many values
     */
    record Spread(double median, double min, double max, int n) {
        static Spread of(List<Double> values) {
            List<Double> v = new ArrayList<>();
            for (Double d : values) {
                if (d != null && !Double.isNaN(d)) {
                    v.add(d);
                }
            }
            if (v.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            Collections.sort(v);
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Spread(median, v.get(0), v.get(n - 1), n);
        }

        boolean present() {
            return n > 0;
        }
    }

    /** The successful results of {@code client} on {@code w}, in round order. */
    List<Result> of(Workload w, String client) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            if (r.workload() == w && r.client().equals(client) && r.failure() == null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The failed results of {@code client} on {@code w}. */
    List<Result> failures(Workload w, String client) {
        List<Result> out = new ArrayList<>();
        for (Result r : results) {
            if (r.workload() == w && r.client().equals(client) && r.failure() != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The spread of {@code metric} over the rounds. */
    Spread spread(Workload w, String client, ToDoubleFunction<Result> metric) {
        List<Double> values = new ArrayList<>();
        for (Result r : of(w, client)) {
            values.add(metric.applyAsDouble(r));
        }
        return Spread.of(values);
    }

    /** The spread of the headline value. */
    Spread headline(Workload w, String client) {
        return spread(w, client, Result::headline);
    }

    /** The spread of an extra figure. */
    Spread extra(Workload w, String client, String key) {
        return spread(w, client, r -> r.extra().getOrDefault(key, Double.NaN));
    }

    /**
     * Per round, {@code client}'s headline on {@code w} divided by the raw C client's headline on
     * {@code base} in the same round; the spread of those ratios.
     */
    Spread ratio(Workload w, String client, Workload base) {
        List<Double> ratios = new ArrayList<>();
        for (Result r : of(w, client)) {
            for (Result c : of(base, Result.RAW_C)) {
                if (c.round() == r.round()) {
                    ratios.add(r.headline() / c.headline());
                }
            }
        }
        return Spread.of(ratios);
    }

    /** The spread of {@code key} over the idle-connection runs. */
    static Spread idle(List<Map<String, Double>> runs, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> run : runs) {
            values.add(run.getOrDefault(key, Double.NaN));
        }
        return Spread.of(values);
    }
}
