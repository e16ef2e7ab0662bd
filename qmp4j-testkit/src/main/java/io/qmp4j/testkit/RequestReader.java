package io.qmp4j.testkit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads requests from a connection as a stream of JSON values, with or without whitespace or
 * {@code \r\n} between them, and keeps each value's exact text. Internal; used by one thread.
 *
 * <p>Like QEMU, it never waits for a terminator: a request is complete at its closing brace.
 */
final class RequestReader {
    /** One request: the parsed value and its exact text. */
    record Request(JsonNode json, String raw) {}

    private final CapturingStream in;
    private final JsonParser parser;

    /** Creates a reader over a blocking channel. Runs on the session thread. */
    RequestReader(ReadableByteChannel channel) throws IOException {
        this.in = new CapturingStream(channel);
        this.parser = QmpWire.MAPPER.createParser(in);
    }

    /**
     * Blocks until one whole JSON value has arrived. Runs on the session thread.
     *
     * @return the next request, or null at end of stream
     * @throws com.fasterxml.jackson.core.JsonProcessingException if the input is not JSON
     */
    Request next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        long start = parser.currentTokenLocation().getByteOffset();
        JsonNode json = QmpWire.MAPPER.readTree(parser);
        long end = parser.currentLocation().getByteOffset();
        String raw = in.text(start, end);
        in.discardBefore(end);
        return new Request(json, raw);
    }

    /** An input stream over a channel that remembers what it read until told to forget it. */
    private static final class CapturingStream extends InputStream {
        private final ReadableByteChannel channel;
        private byte[] kept = new byte[8192];
        private int keptLength;
        private long keptStart; // stream offset of kept[0]

        CapturingStream(ReadableByteChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            // Reads the channel directly: Channels.newInputStream would hold the channel's blocking
            // lock while waiting, which blocks concurrent writes of events and replies.
            int n = channel.read(ByteBuffer.wrap(buffer, offset, length));
            if (n > 0) {
                keep(buffer, offset, n);
            }
            return n;
        }

        private void keep(byte[] buffer, int offset, int n) {
            if (keptLength + n > kept.length) {
                kept = Arrays.copyOf(kept, Math.max(kept.length * 2, keptLength + n));
            }
            System.arraycopy(buffer, offset, kept, keptLength, n);
            keptLength += n;
        }

        String text(long start, long end) {
            return new String(kept, (int) (start - keptStart), (int) (end - start), StandardCharsets.UTF_8);
        }

        void discardBefore(long offset) {
            int drop = (int) (offset - keptStart);
            System.arraycopy(kept, drop, kept, 0, keptLength - drop);
            keptLength -= drop;
            keptStart = offset;
        }
    }
}
