package io.qmp4j.framing;

import io.qmp4j.QmpProtocolException;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpMessage;
import java.nio.ByteBuffer;

/**
 * QMP framing as a pure function: Ganeti's {@code _ParseMessage(buf)} for Java.
 *
 * <p>Every QMP server message is one line of JSON ending in {@code \r\n} (a bare {@code \n} is
 * accepted too). {@link #parseMessage(ByteBuffer, int)} finds the first complete line in a
 * buffer and returns it parsed together with the rest, or nothing and the whole buffer when no
 * line is complete yet. Blank lines are skipped. Because {@code \n} (0x0A) never occurs inside a
 * multi-byte UTF-8 sequence, characters split across reads need no special care.
 *
 * <p>The size cap is enforced here, so an endless line fails fast with a
 * {@link QmpProtocolException} instead of growing memory. The default cap,
 * {@value #DEFAULT_MAX_MESSAGE_BYTES} bytes (64 MiB), is far above QEMU 7.2's largest real
 * message ({@code query-qmp-schema}, one 207 KB line).
 */
public final class QmpFraming {
    /** The default maximum size of one message, without its terminator: 64 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private QmpFraming() {
    }

    /** {@link #parseMessage(ByteBuffer, int)} with the default cap of 64 MiB. */
    public static ParseResult parseMessage(ByteBuffer buffer) {
        return parseMessage(buffer, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * Finds and parses the first message in {@code buffer} (from its position to its limit).
     * The buffer itself is not modified.
     *
     * @param buffer          bytes received so far
     * @param maxMessageBytes the largest message accepted, terminator excluded
     * @return the message and the bytes after it, or no message and all bytes that still need
     *         more input (blank lines before them are consumed)
     * @throws QmpProtocolException when a line is not a QMP message, or a line (complete or not)
     *                              is longer than {@code maxMessageBytes}
     */
    public static ParseResult parseMessage(ByteBuffer buffer, int maxMessageBytes) {
        ByteBuffer view = buffer.duplicate();
        while (true) {
            int start = view.position();
            int lf = indexOf(view, start, view.limit(), (byte) '\n');
            if (lf < 0) {
                checkIncomplete(view, start, maxMessageBytes);
                return new ParseResult(null, view.slice(), start - buffer.position());
            }
            byte[] line = new byte[lf - start];
            view.get(line);
            view.position(lf + 1);
            QmpMessage message = decodeLine(line, 0, line.length, maxMessageBytes);
            if (message != null) {
                return new ParseResult(message, view.slice(), view.position() - buffer.position());
            }
        }
    }

    /**
     * Decodes one line (the bytes before its {@code \n}; a trailing {@code \r} and surrounding
     * whitespace are ignored) into a message, or returns {@code null} for a blank line. The
     * size cap applies to the whole line, {@code \r} excepted, whitespace included.
     *
     * @throws QmpProtocolException when the line is too long or is not a QMP message
     */
    public static QmpMessage decodeLine(byte[] line, int offset, int length, int maxMessageBytes) {
        // The cap counts the whole line, whitespace too, as checkIncomplete does for a line still
        // arriving: otherwise the same bytes would pass or fail depending on where reads split
        // them (found by QmpFuzzTest).
        int withoutCr = length > 0 && line[offset + length - 1] == '\r' ? length - 1 : length;
        if (withoutCr > maxMessageBytes) {
            throw oversize(line, offset, withoutCr, maxMessageBytes);
        }
        int from = offset;
        int to = offset + length;
        while (from < to && isWhitespace(line[from])) {
            from++;
        }
        while (to > from && isWhitespace(line[to - 1])) {
            to--;
        }
        if (from == to) {
            return null;
        }
        return QmpJson.parse(line, from, to - from);
    }

    /**
     * Fails when {@code pending} bytes without a line end already exceed the cap (one extra byte
     * is allowed for a {@code \r} whose {@code \n} has not arrived yet).
     *
     * @throws QmpProtocolException when the incomplete line is already too long
     */
    public static void checkIncomplete(int pending, byte[] head, int maxMessageBytes) {
        if (pending > maxMessageBytes + 1) {
            throw oversize(head, 0, Math.min(head.length, pending), maxMessageBytes);
        }
    }

    private static void checkIncomplete(ByteBuffer view, int start, int maxMessageBytes) {
        int pending = view.limit() - start;
        if (pending > maxMessageBytes + 1) {
            byte[] head = new byte[Math.min(pending, 4 * QmpProtocolException.QUOTE_LIMIT)];
            view.duplicate().position(start).get(head);
            checkIncomplete(pending, head, maxMessageBytes);
        }
    }

    private static QmpProtocolException oversize(byte[] bytes, int offset, int shown, int max) {
        return new QmpProtocolException("message exceeds the maximum size of " + max
                + " bytes: " + QmpProtocolException.quote(bytes, offset, Math.min(shown, bytes.length - offset)));
    }

    private static int indexOf(ByteBuffer buffer, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (buffer.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
