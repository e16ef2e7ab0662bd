package io.qmp4j.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.message.QmpJson;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Writing requests as the client sends them: compact JSON bytes, no terminator, no id. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerialisationBenchmark {
    private Map<String, Object> hmp;
    private JsonNode blockdev;

    /** Builds the argument values once. */
    @Setup
    public void setUp() {
        hmp = Map.of("command-line", "info status");
        ObjectNode node = QmpJson.mapper().createObjectNode();
        node.put("driver", "qcow2").put("node-name", "disk0");
        node.putObject("file").put("driver", "file").put("filename", "/var/lib/vm/disk0.qcow2");
        blockdev = node;
    }

    /** {@code {"execute":"query-status"}}: the 26-byte request of every small round trip. */
    @Benchmark
    public byte[] noArguments() {
        return QmpJson.request("query-status", null, null, false);
    }

    /** A request with a one-entry {@link Map} of arguments. */
    @Benchmark
    public byte[] mapArguments() {
        return QmpJson.request("human-monitor-command", hmp, null, false);
    }

    /** A request with a nested {@link JsonNode} object of arguments. */
    @Benchmark
    public byte[] treeArguments() {
        return QmpJson.request("blockdev-add", blockdev, null, false);
    }
}
