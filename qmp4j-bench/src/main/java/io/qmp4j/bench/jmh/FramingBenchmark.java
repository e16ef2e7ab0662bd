package io.qmp4j.bench.jmh;

import io.qmp4j.bench.ReplySamples;
import io.qmp4j.framing.QmpFraming;
import io.qmp4j.message.QmpMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Framing and parsing of one received line into a {@link QmpMessage}, as the client does for
 * every reply: find the line end, copy the line, parse the JSON, classify, keep the raw text.
 * Replies: {@code query-status} (73 B), {@code query-commands} (6.5 KB), {@code query-qmp-schema}
 * (207 KB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FramingBenchmark {
    /** Which reply to parse. */
    @Param({"query-status", "query-commands", "query-qmp-schema"})
    public String reply;

    private ByteBuffer buffer;

    /** Loads the reply line and appends QEMU's {@code \r\n}. */
    @Setup
    public void setUp() {
        byte[] line = ReplySamples.line(reply);
        buffer = ByteBuffer.allocate(line.length + 2).put(line).put((byte) '\r').put((byte) '\n').flip();
    }

    /** One {@code parseMessage}: the public pure framing function over a buffer holding one line. */
    @Benchmark
    public QmpMessage parseMessage() {
        return QmpFraming.parseMessage(buffer).message().orElseThrow();
    }
}
