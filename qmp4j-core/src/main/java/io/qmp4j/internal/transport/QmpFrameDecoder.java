package io.qmp4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.qmp4j.framing.QmpFraming;
import io.qmp4j.message.QmpMessage;
import java.util.List;

/**
 * Netty's side of {@link QmpFraming}: cuts the byte stream into lines and decodes each with
 * {@link QmpFraming#decodeLine}. It remembers how far it has already searched for the line end,
 * so a large message arriving in many reads is scanned once, and it fails as soon as a line
 * passes the size cap. Runs on the event loop.
 */
public final class QmpFrameDecoder extends ByteToMessageDecoder {
    private final int maxMessageBytes;
    private int scanned;
    private boolean failed;

    /** A decoder accepting messages of up to {@code maxMessageBytes}. */
    public QmpFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int lf = in.indexOf(start + scanned, end, (byte) '\n');
            if (lf < 0) {
                scanned = end - start;
                checkPending(in, start);
                return;
            }
            scanned = 0;
            byte[] line = new byte[lf - start];
            in.getBytes(start, line);
            in.readerIndex(lf + 1);
            QmpMessage message = decodeOrFail(in, line);
            if (message != null) {
                out.add(message);
            }
        }
    }

    private QmpMessage decodeOrFail(ByteBuf in, byte[] line) {
        try {
            return QmpFraming.decodeLine(line, 0, line.length, maxMessageBytes);
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void checkPending(ByteBuf in, int start) {
        if (scanned > maxMessageBytes + 1) {
            byte[] head = new byte[Math.min(scanned, 800)];
            in.getBytes(start, head);
            failed = true;
            in.skipBytes(in.readableBytes());
            QmpFraming.checkIncomplete(scanned, head, maxMessageBytes);
        }
    }
}
