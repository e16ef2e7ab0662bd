package io.qmp4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.framing.QmpFraming;
import java.util.List;

/**
 * Netty's side of {@link QmpFraming}: cuts the byte stream into lines and decodes each with
 * {@link QmpFraming#decodeLine}. It remembers how far it has already searched for the line end,
 * so a large message arriving in many reads is scanned once, and it fails as soon as a line
 * passes the size cap. Runs on the event loop.
 *
 * <p>For the guest agent, {@link #enableDelimiters()} switches on two extras that QMP never
 * uses: a 0xFF byte (never part of UTF-8 JSON; qemu-ga puts one before the reply to
 * {@code guest-sync-delimited}) drops the partial line before it and is passed on as
 * {@link #DELIMITER}, and a line that is not a message is passed on as a {@link MalformedLine}
 * instead of ending the stream, so that the protocol handler can skip stale bytes while it
 * resynchronises.
 */
public final class QmpFrameDecoder extends ByteToMessageDecoder {
    /** Passed downstream, in delimiter mode, for each 0xFF byte. */
    public static final Object DELIMITER = new Object() {
        @Override
        public String toString() {
            return "0xFF";
        }
    };

    /** A line that could not be decoded, passed downstream in delimiter mode. */
    public record MalformedLine(QmpProtocolException error) {
    }

    private static final ByteProcessor NOT_LINE_END_OR_DELIMITER = b -> b != '\n' && b != (byte) 0xFF;

    private final int maxMessageBytes;
    private int scanned;
    private boolean failed;
    private boolean delimited;

    /** A decoder accepting messages of up to {@code maxMessageBytes}. */
    public QmpFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Event loop, before the first read: turns on the guest agent's delimiter mode (see above). */
    public void enableDelimiters() {
        delimited = true;
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
            int lf = delimited ? in.forEachByte(start + scanned, end - start - scanned, NOT_LINE_END_OR_DELIMITER)
                    : in.indexOf(start + scanned, end, (byte) '\n');
            if (lf < 0) {
                scanned = end - start;
                checkPending(in, start);
                return;
            }
            scanned = 0;
            if (delimited && in.getByte(lf) == (byte) 0xFF) {
                in.readerIndex(lf + 1);
                out.add(DELIMITER);
                continue;
            }
            byte[] line = new byte[lf - start];
            in.getBytes(start, line);
            in.readerIndex(lf + 1);
            Object message = decodeOrFail(in, line);
            if (message != null) {
                out.add(message);
            }
        }
    }

    private Object decodeOrFail(ByteBuf in, byte[] line) {
        try {
            return QmpFraming.decodeLine(line, 0, line.length, maxMessageBytes);
        } catch (QmpProtocolException e) {
            if (delimited) {
                return new MalformedLine(e);
            }
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
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
