package io.qmp4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpMessage;
import io.qmp4j.message.QmpReturn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QmpFrameDecoderTest {
    private static void write(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesMessagesFedOneByteAtATime() {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpFrameDecoder(1024));
        String stream = "{\"event\": \"STOP\"}\r\n\r\n{\"return\": {}}\n";
        for (char c : stream.toCharArray()) {
            write(ch, String.valueOf(c));
        }
        assertThat((QmpMessage) ch.readInbound()).isInstanceOf(QmpEvent.class);
        assertThat((QmpMessage) ch.readInbound()).isInstanceOf(QmpReturn.class);
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void failsAsSoonAsAnUnterminatedLinePassesTheCapAndDiscardsTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpFrameDecoder(1024));
        write(ch, "{\"return\": \"" + "x".repeat(900));
        assertThatThrownBy(() -> write(ch, "x".repeat(200)))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("exceeds the maximum size of 1024 bytes");
        write(ch, "\r\n{\"return\": {}}\r\n");
        assertThat((Object) ch.readInbound()).as("nothing decoded after the failure").isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void reportsMalformedLines() {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpFrameDecoder(1024));
        assertThatThrownBy(() -> write(ch, "not json\r\n"))
                .hasCauseInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("'not json'");
        ch.finishAndReleaseAll();
    }

    private static void writeBytes(EmbeddedChannel ch, byte[] b) {
        ch.writeInbound(Unpooled.wrappedBuffer(b));
    }

    private static byte[] withFf(String before, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + 1 + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        all[a.length] = (byte) 0xFF;
        System.arraycopy(c, 0, all, a.length + 1, c.length);
        return all;
    }

    @Test
    void delimiterModeDropsThePartialLineBeforeA0xFFAndPassesTheMarkerOn() {
        QmpFrameDecoder decoder = new QmpFrameDecoder(1024);
        decoder.enableDelimiters();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] stream = withFf("{\"return\": 1}\n{\"retu", "{\"return\": 42}\n");
        for (byte b : stream) { // every split point at once: one byte per read
            writeBytes(ch, new byte[] {b});
        }
        assertThat(((QmpReturn) ch.readInbound()).value().asInt()).isEqualTo(1);
        assertThat((Object) ch.readInbound()).isSameAs(QmpFrameDecoder.DELIMITER);
        assertThat(((QmpReturn) ch.readInbound()).value().asInt()).isEqualTo(42);
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void delimiterModePassesMalformedLinesOnAndKeepsDecoding() {
        QmpFrameDecoder decoder = new QmpFrameDecoder(1024);
        decoder.enableDelimiters();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        write(ch, "garbage]]\n{\"return\": {}}\n");
        QmpFrameDecoder.MalformedLine bad = ch.readInbound();
        assertThat(bad.error()).hasMessageContaining("'garbage]]'");
        assertThat((Object) ch.readInbound()).isInstanceOf(QmpReturn.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutDelimiterModeA0xFFIsJustAnInvalidByteOfTheLine() {
        EmbeddedChannel ch = new EmbeddedChannel(new QmpFrameDecoder(1024));
        assertThatThrownBy(() -> writeBytes(ch, withFf("", "{\"return\": 42}\n")))
                .hasCauseInstanceOf(QmpProtocolException.class);
        ch.finishAndReleaseAll();
    }
}
