package io.qmp4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of {@code io.qmp4j.bench.jmh} with the GC profiler, through JMH's API. */
final class JmhRun {
    /**
     * One benchmark's figures.
     *
     * @param benchmark  the method, for example {@code FramingBenchmark.parseMessage}
     * @param parameter  its parameter value, or empty
     * @param opsPerSecond the score
     * @param error      the score's 99.9 % confidence half-width (NaN with one iteration)
     * @param bytesPerOp bytes allocated per operation ({@code gc.alloc.rate.norm})
     */
    record Row(String benchmark, String parameter, double opsPerSecond, double error, double bytesPerOp) {
    }

    private JmhRun() {
    }

    /** Full: 3 forks x (2 + 3) one-second iterations. Smoke: in-process, one short iteration of the small reply. */
    static List<Row> run(boolean smoke, Path samples, Path log) throws RunnerException {
        System.setProperty(ReplySamples.PROPERTY, samples.toString());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("io\\.qmp4j\\.bench\\.jmh\\..*")
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend("-D" + ReplySamples.PROPERTY + "=" + samples)
                .shouldFailOnError(true)
                .output(log.toString());
        if (smoke) {
            options.forks(0).warmupIterations(0).measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200)).param("reply", "query-status");
        } else {
            options.forks(3).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String param = r.getParams().getParam("reply");
            Result<?> primary = r.getPrimaryResult();
            double bytes = Double.NaN;
            for (var e : r.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = e.getValue().getScore();
                }
            }
            rows.add(new Row(name, param == null ? "" : param, primary.getScore(), primary.getScoreError(), bytes));
        }
        return rows;
    }
}
