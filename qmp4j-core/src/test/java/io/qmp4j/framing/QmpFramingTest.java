package io.qmp4j.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.QmpProtocolException;
import io.qmp4j.message.QmpError;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReturn;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QmpFramingTest {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}";
    static final String STATUS = "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}";
    static final String STOP = "{\"timestamp\": {\"seconds\": 1796267428, \"microseconds\": 666825}, \"event\": \"STOP\"}";
    static final String ERROR = "{\"id\": 4, \"error\": {\"class\": \"CommandNotFound\","
            + " \"desc\": \"The command nope has not been found\"}}";
    static final String UTF8 = "{\"return\": \"Grüße, 日本語, 🎉\"}";

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds {@code stream} in the given chunks, calling parseMessage like a reader would; returns all messages. */
    static List<QmpMessage> feed(byte[] stream, int[] cuts, int max) {
        List<QmpMessage> out = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            pending.write(stream, from, to - from);
            from = to;
            ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
            while (true) {
                ParseResult r = QmpFraming.parseMessage(buf, max);
                ByteBuffer rest = r.rest();
                if (r.isComplete()) {
                    out.add(r.message().orElseThrow());
                    buf = rest;
                    continue;
                }
                pending.reset();
                byte[] left = new byte[rest.remaining()];
                rest.get(left);
                pending.write(left, 0, left.length);
                break;
            }
        }
        return out;
    }

    static Stream<Arguments> everyMessageKind() {
        return Stream.of(
                Arguments.of("greeting", GREETING, QmpGreeting.class),
                Arguments.of("return", STATUS, QmpReturn.class),
                Arguments.of("event without data", STOP, QmpEvent.class),
                Arguments.of("error with id first", ERROR, QmpError.class),
                Arguments.of("non-ASCII UTF-8", UTF8, QmpReturn.class));
    }

    @ParameterizedTest(name = "{0}: split at every byte boundary, CRLF and LF")
    @MethodSource("everyMessageKind")
    void parsesAMessageSplitAtEveryByteBoundary(String name, String json, Class<?> type) {
        for (String end : List.of("\r\n", "\n")) {
            byte[] stream = (json + end).getBytes(StandardCharsets.UTF_8);
            for (int cut = 1; cut < stream.length; cut++) {
                List<QmpMessage> got = feed(stream, new int[] {cut}, 1 << 20);
                assertThat(got).as("cut at %d", cut).hasSize(1);
                assertThat(got.get(0)).isInstanceOf(type);
                assertThat(got.get(0).raw()).isEqualTo(json);
            }
        }
    }

    @Test
    void parsesAStreamDeliveredOneByteAtATime() {
        String stream = GREETING + "\r\n" + STOP + "\r\n" + STATUS + "\r\n" + UTF8 + "\n";
        byte[] b = stream.getBytes(StandardCharsets.UTF_8);
        int[] cuts = IntStream.range(1, b.length).toArray();
        assertThat(feed(b, cuts, 1 << 20)).extracting(QmpMessage::raw).containsExactly(GREETING, STOP, STATUS, UTF8);
    }

    @Test
    void returnsOneMessageAndTheRestWhenSeveralArriveInOneRead() {
        ByteBuffer in = bytes(STOP + "\r\n" + STATUS + "\r\n{\"ret");
        ParseResult first = QmpFraming.parseMessage(in);
        assertThat(first.message()).get().isInstanceOf(QmpEvent.class);
        ParseResult second = QmpFraming.parseMessage(first.rest());
        assertThat(second.message()).get().isInstanceOf(QmpReturn.class);
        ParseResult third = QmpFraming.parseMessage(second.rest());
        assertThat(third.isComplete()).isFalse();
        assertThat(StandardCharsets.UTF_8.decode(third.rest()).toString()).isEqualTo("{\"ret");
        assertThat(in.position()).as("input untouched").isZero();
        assertThat(first.consumedBytes()).isEqualTo(STOP.length() + 2);
    }

    @Test
    void returnsNothingAndTheWholeBufferWhenNoLineIsComplete() {
        ParseResult r = QmpFraming.parseMessage(bytes("{\"return\": {"));
        assertThat(r.message()).isEmpty();
        assertThat(r.rest().remaining()).isEqualTo(12);
        assertThat(r.consumedBytes()).isZero();
    }

    @Test
    void skipsBlankLines() {
        ParseResult r = QmpFraming.parseMessage(bytes("\r\n\n  \r\n" + STATUS + "\r\n"));
        assertThat(r.message()).get().isInstanceOf(QmpReturn.class);
        assertThat(r.rest().remaining()).isZero();
        ParseResult blanksOnly = QmpFraming.parseMessage(bytes("\r\n\r\n"));
        assertThat(blanksOnly.message()).isEmpty();
        assertThat(blanksOnly.consumedBytes()).isEqualTo(4);
    }

    @Test
    void splitsMultiByteCharactersAcrossReadsWithoutDamage() {
        byte[] b = (UTF8 + "\r\n").getBytes(StandardCharsets.UTF_8);
        int emoji = UTF8.indexOf("🎉");
        int byteOffset = UTF8.substring(0, emoji).getBytes(StandardCharsets.UTF_8).length;
        for (int inside = 1; inside < 4; inside++) {
            List<QmpMessage> got = feed(b, new int[] {byteOffset + inside}, 1024);
            assertThat(((QmpReturn) got.get(0)).value().asText()).isEqualTo("Grüße, 日本語, 🎉");
        }
    }

    @Test
    void acceptsALineOf207KilobytesLikeQuerySchema() {
        StringBuilder sb = new StringBuilder("{\"return\": [");
        while (sb.length() < 207_000) {
            sb.append("{\"name\": \"x-some-command-").append(sb.length()).append("\", \"meta-type\": \"command\"}, ");
        }
        sb.append("{}]}");
        String line = sb.toString();
        assertThat(line.length()).isGreaterThan(65_536);
        byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        List<QmpMessage> got = feed(b, new int[] {65_536, 131_072, 196_608}, QmpFraming.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(got).hasSize(1);
        assertThat(((QmpReturn) got.get(0)).value().size()).isGreaterThan(1000);
    }

    @Test
    void rejectsACompleteLineOverTheCap() {
        String line = "{\"return\": \"" + "x".repeat(2000) + "\"}\r\n";
        assertThatThrownBy(() -> QmpFraming.parseMessage(bytes(line), 1024))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("exceeds the maximum size of 1024 bytes")
                .hasMessageContaining("(2014 bytes)");
    }

    @Test
    void rejectsAnIncompleteLineAsSoonAsItPassesTheCap() {
        assertThat(QmpFraming.parseMessage(bytes("{\"return\": \"" + "x".repeat(1013)), 1024).isComplete()).isFalse();
        assertThatThrownBy(() -> QmpFraming.parseMessage(bytes("{\"return\": \"" + "x".repeat(1020)), 1024))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("exceeds the maximum size");
    }

    @Test
    void acceptsALineOfExactlyTheCap() {
        String body = "{\"return\": \"" + "x".repeat(1024 - 14) + "\"}";
        assertThat(body.length()).isEqualTo(1024);
        assertThat(QmpFraming.parseMessage(bytes(body + "\r"), 1024).isComplete()).isFalse();
        assertThat(QmpFraming.parseMessage(bytes(body + "\r\n"), 1024).isComplete()).isTrue();
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("not JSON", "this is not json", "is not valid JSON: 'this is not json'"),
                Arguments.of("truncated JSON", "{\"return\": {", "is not valid JSON"),
                Arguments.of("trailing garbage", "{\"return\": {}} x", "is not valid JSON"),
                Arguments.of("array", "[1, 2]", "is not a JSON object: '[1, 2]'"),
                Arguments.of("number", "42", "is not a JSON object: '42'"),
                Arguments.of("unknown object", "{\"hello\": 1}", "neither greeting, reply nor event"),
                Arguments.of("error without class", "{\"error\": {\"desc\": \"x\"}}", "without error.class"),
                Arguments.of("bad greeting", "{\"QMP\": {\"version\": 7}}", "greeting lacks"),
                Arguments.of("event name not a string", "{\"event\": 7}", "event name is not a string"),
                Arguments.of("control bytes quoted", "\u0000\u0001oops", "'\\x00\\x01oops'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void rejectsLinesThatAreNotQmpMessagesWithTheOffendingBytes(String name, String line, String expected) {
        assertThatThrownBy(() -> QmpFraming.parseMessage(bytes(line + "\r\n")))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void shortensLongOffendingInputInTheMessage() {
        String junk = "y".repeat(5000);
        assertThatThrownBy(() -> QmpFraming.parseMessage(bytes(junk + "\n")))
                .isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("... (5000 bytes)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }
}
