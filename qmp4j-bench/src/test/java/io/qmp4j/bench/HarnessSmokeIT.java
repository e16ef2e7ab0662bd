package io.qmp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.testkit.junit.RequiresQemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's smoke run against real QEMU: every workload with tiny counts, the idle
 * connections, in-process JMH, and the report. It proves the benchmark works; its figures mean
 * nothing (speed is shown by the documented full run, never by a test).
 */
@RequiresQemu
class HarnessSmokeIT {
    @Test
    void smokeRunMeasuresEveryWorkloadAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmarks.md");
        HarnessOptions options = HarnessOptions.parse(new String[] {"--smoke", "--no-go", "--out", out.toString(),
                "--work", dir.resolve("work").toString()});

        Report.Data data = new Harness(options).run();

        assertThat(data.failures()).as("failed runs: %s", data.results()).isZero();
        for (Workload w : Workload.values()) {
            assertThat(data.results()).as(w.id()).anyMatch(r -> r.workload() == w && r.client().equals(Result.QMP4J)
                    && r.stats().perSecond() > 0);
        }
        boolean rawC = Files.isRegularFile(options.perfDir().resolve("qmpbench.c"));
        assertThat(data.results().stream().anyMatch(r -> r.client().equals(Result.RAW_C))).isEqualTo(rawC);
        if (!rawC) {
            assertThat(data.notes()).anyMatch(n -> n.startsWith("raw C client skipped"));
        }
        Map<String, Double> idle = data.idleRuns().get(0);
        assertThat(idle.get("connections")).isEqualTo(options.counts().idleConnections());
        assertThat(idle.get("io_threads")).isBetween(1.0, 4.0);
        assertThat(data.jmh()).isNotEmpty().allMatch(r -> r.opsPerSecond() > 0 && r.bytesPerOp() > 0);

        String report = Files.readString(out);
        assertThat(report).contains("## Targets", "## Results per workload", "## Many monitors",
                "## Microbenchmarks", "sequential query-status", "benchmarks/throughput.svg");
        assertThat(Files.readString(dir.resolve("benchmarks/throughput.svg"))).startsWith("<svg").contains("qmp4j");
        assertThat(Files.readString(dir.resolve("benchmarks/latency.svg"))).startsWith("<svg");
    }
}
