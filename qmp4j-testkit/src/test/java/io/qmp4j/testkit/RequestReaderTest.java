package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental request parsing: no terminators needed, any split, exact raw text kept. */
class RequestReaderTest {
    private static final String STREAM =
            "{\"execute\":\"a\"}{\"execute\":\"b\",\"id\":\"é\"}\r\n  {\"execute\":\"c\",\"arguments\":{\"x\":[1,2]}}\n[3]";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16, 1000})
    void splitsAtAnyChunkSizeGiveTheSameRequests(int chunk) throws Exception {
        Pipe pipe = Pipe.open();
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> writer =
                CompletableFuture.runAsync(() -> writeInChunks(pipe, bytes, chunk));
        RequestReader reader = new RequestReader(pipe.source());
        List<String> raws = new ArrayList<>();
        for (RequestReader.Request r = reader.next(); r != null; r = reader.next()) {
            raws.add(r.raw());
        }
        writer.get(2, TimeUnit.SECONDS);
        assertThat(raws)
                .containsExactly(
                        "{\"execute\":\"a\"}",
                        "{\"execute\":\"b\",\"id\":\"é\"}",
                        "{\"execute\":\"c\",\"arguments\":{\"x\":[1,2]}}",
                        "[3]");
    }

    @Test
    void aRequestIsCompleteAtItsClosingBraceWithoutMoreInput() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap("{\"execute\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
        RequestReader reader = new RequestReader(pipe.source());
        CompletableFuture<RequestReader.Request> next =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return reader.next();
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        assertThat(next.get(2, TimeUnit.SECONDS).json().get("execute").asText()).isEqualTo("a");
        pipe.sink().close();
    }

    @Test
    void invalidJsonFailsWithAJsonError() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap("{bad}".getBytes(StandardCharsets.UTF_8)));
        pipe.sink().close();
        RequestReader reader = new RequestReader(pipe.source());
        assertThatThrownBy(reader::next).isInstanceOf(JsonProcessingException.class);
    }

    private static void writeInChunks(Pipe pipe, byte[] bytes, int chunk) {
        try (Pipe.SinkChannel sink = pipe.sink()) {
            for (int i = 0; i < bytes.length; i += chunk) {
                ByteBuffer part = ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i));
                while (part.hasRemaining()) {
                    sink.write(part);
                }
                Thread.sleep(0, 100_000);
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
