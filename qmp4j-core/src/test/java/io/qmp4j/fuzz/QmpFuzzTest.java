package io.qmp4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.framing.ParseResult;
import io.qmp4j.framing.QmpFraming;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpRedaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the bytes-to-message path and the request writer. The
 * properties: framing and parsing fail only with {@link QmpProtocolException}; framing gives
 * the same messages whatever the read boundaries; a parsed message re-parses from its raw line to
 * the same kind; a written request parses back to its command and arguments; redaction never
 * throws and never changes a value's shape.
 *
 * <p>The normal build (its {@code fuzz-short} surefire execution) replays {@code QmpFuzzTestInputs/fuzz/*} (seeds and any crash found, which
 * thereby become regression tests) and fuzzes for 15 s (the {@code fuzz-short} execution); a
 * longer run: {@code JAZZER_FUZZ=1 mvn -pl qmp4j-core test -Dtest='QmpFuzzTest#fuzzLong'}.
 */
class QmpFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void fuzz(FuzzedDataProvider data) {
        check(data);
    }

    @FuzzTest(maxDuration = "15m")
    void fuzzLong(FuzzedDataProvider data) {
        check(data);
    }

    private static void check(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> framing(data.consumeInt(16, 4096), data.consumeInt(0, 512), data.consumeRemainingAsBytes());
            case 1 -> request(data.consumeString(40), data.consumeRemainingAsString());
            default -> message(data.consumeRemainingAsBytes());
        }
    }

    /** Framing whole vs. in two reads must agree, and only QmpProtocolException may escape. */
    private static void framing(int cap, int split, byte[] bytes) {
        List<String> whole = frames(bytes, cap, bytes.length);
        List<String> twoReads = frames(bytes, cap, Math.min(split, bytes.length));
        assertThat(twoReads).isEqualTo(whole);
    }

    /** The raw lines of all messages in {@code bytes}, fed in two reads split at {@code split}; "!" + message on failure. */
    private static List<String> frames(byte[] bytes, int cap, int split) {
        List<String> out = new ArrayList<>();
        ByteBuffer pending = ByteBuffer.allocate(bytes.length);
        pending.flip();
        int[] reads = {split, bytes.length};
        int fed = 0;
        for (int end : reads) {
            ByteBuffer next = ByteBuffer.allocate(pending.remaining() + (end - fed));
            next.put(pending).put(bytes, fed, end - fed).flip();
            fed = end;
            pending = next;
            try {
                while (true) {
                    ParseResult r = QmpFraming.parseMessage(pending, cap);
                    if (!r.isComplete()) {
                        break;
                    }
                    assertThat(r.consumedBytes()).isPositive();
                    QmpMessage m = r.message().orElseThrow();
                    out.add(m.raw());
                    pending = r.rest();
                }
            } catch (QmpProtocolException e) {
                out.add("!");
                return out;
            }
        }
        return out;
    }

    private static void message(byte[] line) {
        QmpMessage m;
        try {
            m = QmpJson.parse(line, 0, line.length);
        } catch (QmpProtocolException e) {
            return;
        }
        byte[] raw = m.raw().getBytes(StandardCharsets.UTF_8);
        assertThat(QmpJson.parse(raw, 0, raw.length).getClass()).isEqualTo(m.getClass());
        if (m instanceof QmpEvent e && e.data() != null) {
            assertThat(QmpRedaction.redact(e.data()).size()).isEqualTo(e.data().size());
        }
    }

    private static void request(String command, String argumentsJson) {
        JsonNode args;
        try {
            args = QmpJson.mapper().readTree(argumentsJson);
        } catch (Exception notJson) {
            return;
        }
        if (command.isBlank() || args == null || !args.isObject()) {
            return;
        }
        byte[] request = QmpJson.request(command, args, null, false);
        try {
            JsonNode back = QmpJson.mapper().readTree(request);
            assertThat(back.path("execute").asText()).isEqualTo(command);
            assertThat(back.path("arguments")).isEqualTo(args);
        } catch (java.io.IOException e) {
            throw new AssertionError("request is not JSON: " + new String(request, StandardCharsets.UTF_8), e);
        }
        assertThat(QmpRedaction.redactArguments(command, args).size()).isEqualTo(args.size());
    }
}
