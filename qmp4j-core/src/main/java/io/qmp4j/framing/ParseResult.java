package io.qmp4j.framing;

import io.qmp4j.message.QmpMessage;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The outcome of {@link QmpFraming#parseMessage(ByteBuffer, int)}: one message and the rest of
 * the buffer, or no message and the bytes still waiting for their line end.
 */
public final class ParseResult {
    private final QmpMessage message;
    private final ByteBuffer rest;
    private final int consumed;

    ParseResult(QmpMessage message, ByteBuffer rest, int consumed) {
        this.message = message;
        this.rest = rest.asReadOnlyBuffer();
        this.consumed = consumed;
    }

    /** The message found, or empty when the buffer holds no complete line yet. */
    public Optional<QmpMessage> message() {
        return Optional.ofNullable(message);
    }

    /** Whether a message was found. */
    public boolean isComplete() {
        return message != null;
    }

    /** The bytes after the message (or all unconsumed bytes), as a read-only buffer. */
    public ByteBuffer rest() {
        return rest.duplicate();
    }

    /** How many bytes from the start of the input were consumed (the message, its line end, blank lines). */
    public int consumedBytes() {
        return consumed;
    }

    @Override
    public String toString() {
        return message == null
                ? "ParseResult[need more, " + rest.remaining() + " bytes pending]"
                : "ParseResult[" + message.getClass().getSimpleName() + ", " + rest.remaining() + " bytes rest]";
    }
}
