package io.qmp4j;

import java.nio.charset.StandardCharsets;

/**
 * The peer broke the QMP protocol: the greeting is missing its {@code QMP} key, a line is not
 * JSON or not a JSON object, a message is neither greeting, reply nor event, a reply arrived
 * for no pending command, or a line exceeds the maximum message size.
 *
 * <p>The message quotes the offending bytes, shortened to {@value #QUOTE_LIMIT} characters with
 * control characters escaped. After a protocol error on a live connection the reply order can
 * no longer be trusted, so the connection is closed.
 */
public final class QmpProtocolException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** How many characters of offending input a message quotes at most. */
    public static final int QUOTE_LIMIT = 200;

    /** Creates the exception with a message that already holds its context. */
    public QmpProtocolException(String message) {
        super(message);
    }

    /** Creates the exception with a message and a cause (for example Jackson's parse error). */
    public QmpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Quotes {@code length} bytes of {@code bytes} from {@code offset} for an error message:
     * decoded as UTF-8, control characters escaped, cut to {@value #QUOTE_LIMIT} characters
     * with the total length appended when cut.
     */
    public static String quote(byte[] bytes, int offset, int length) {
        int shown = Math.min(length, QUOTE_LIMIT * 4);
        String text = new String(bytes, offset, shown, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("'");
        int count = 0;
        for (int i = 0; i < text.length() && count < QUOTE_LIMIT; i++, count++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (count >= QUOTE_LIMIT || shown < length) {
            out.append("... (").append(length).append(" bytes)");
        }
        return out.toString();
    }
}
