package io.qmp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportMathTest {
    @Test
    void parsesTheRawClientsSequentialLine() {
        String line = "seq cmd=query-status req_bytes=28 reply_bytes=73 n=20000 wall_s=4.573 per_s=4373"
                + " mean_us=228.6 p50_us=221.1 p99_us=310.2 min_us=180.0 max_us=2990.5";
        Map<String, String> kv = KeyValues.parse(line);
        assertThat(kv).containsEntry("per_s", "4373").containsEntry("max_us", "2990.5").doesNotContainKey("seq");
        assertThat(KeyValues.number(kv, "mean_us", line)).isEqualTo(228.6);
    }

    @Test
    void statsUseNearestRankPercentilesLikeTheRawClient() {
        long[] lat = new long[100];
        for (int i = 0; i < 100; i++) {
            lat[i] = (100 - i) * 1000L; // 100 µs down to 1 µs, unsorted
        }
        Stats s = Stats.of(lat, 100, 1_000_000_000L);
        assertThat(s.perSecond()).isEqualTo(100);
        assertThat(s.p50Micros()).isEqualTo(50);
        assertThat(s.p99Micros()).isEqualTo(99);
        assertThat(s.maxMicros()).isEqualTo(100);
        assertThat(s.meanMicros()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void ratiosPairClientsOfTheSameRoundAndTakeTheMedian() {
        List<Result> results = List.of(
                result(Workload.SEQ, Result.RAW_C, 1, 4000), result(Workload.SEQ, Result.QMP4J, 1, 3600),
                result(Workload.SEQ, Result.RAW_C, 2, 5000), result(Workload.SEQ, Result.QMP4J, 2, 5500),
                result(Workload.SEQ, Result.RAW_C, 3, 4000), result(Workload.SEQ, Result.QMP4J, 3, 4000));
        Summary.Spread r = new Summary(results).ratio(Workload.SEQ, Result.QMP4J, Workload.SEQ);
        assertThat(r.median()).isEqualTo(1.0);
        assertThat(r.min()).isEqualTo(0.9);
        assertThat(r.max()).isCloseTo(1.1, within(1e-9));
        assertThat(new Summary(results).headline(Workload.SEQ, Result.RAW_C).median()).isEqualTo(4000);
    }

    @Test
    void readsTheChildCpuTimeThatTheShellWrapperPrints() {
        String stat = "4242 (sh) S 1 4242 4242 0 -1 4194304 100 200 0 0 1 2 30 40 20 0 1 0 5 100 10";
        Proc.Output out = new Proc.Output(0, "seq n=1\n" + stat + "\n", "");
        assertThat(Proc.childCpuSeconds(out)).isEqualTo(70.0 / MachineInfo.clockTicks());
    }

    private static Result result(Workload w, String client, int round, double perSecond) {
        return Result.ok(w, client, round, new Stats(1, 1, perSecond, 1, 1, 1, 1), Map.of());
    }
}
