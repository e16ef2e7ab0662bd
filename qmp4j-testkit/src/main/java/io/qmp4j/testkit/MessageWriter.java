package io.qmp4j.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes whole messages to one connection, one message at a time, so an event emitted from a
 * test thread never lands inside the bytes of a reply. Internal; thread-safe.
 */
final class MessageWriter {
    /** The pause between bytes for {@link Fault#SPLIT_AT_EVERY_BYTE}: long enough for a read each. */
    private static final long SPLIT_PAUSE_NANOS = 200_000;

    private static final int CHUNK = 64 * 1024;

    private final SocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();

    MessageWriter(SocketChannel channel) {
        this.channel = channel;
    }

    /** An action on the connection that may fail with an I/O error. */
    @FunctionalInterface
    interface IoAction<T> {
        /** Runs the action. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} while holding the write lock, so no other thread writes until it ends.
     * Runs on the session thread.
     */
    <T> T exclusive(IoAction<T> action) throws IOException {
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    /** Writes all of {@code bytes} as one message. Runs on the session or a test thread. */
    void write(byte[] bytes) throws IOException {
        lock.lock();
        try {
            writeFully(ByteBuffer.wrap(bytes));
        } finally {
            lock.unlock();
        }
    }

    /** Writes each message in turn, holding the lock for all of them. Runs on any thread. */
    void writeAll(byte[]... messages) throws IOException {
        lock.lock();
        try {
            for (byte[] message : messages) {
                writeFully(ByteBuffer.wrap(message));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code bytes} one byte per write, pausing {@code pause} (or a short fixed pause when
     * null) after each byte. Runs on the session thread.
     */
    void writeBytewise(byte[] bytes, Duration pause) throws IOException {
        long pauseNanos = pause == null ? SPLIT_PAUSE_NANOS : pause.toNanos();
        lock.lock();
        try {
            for (int i = 0; i < bytes.length; i++) {
                writeFully(ByteBuffer.wrap(bytes, i, 1));
                sleepNanos(pauseNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes the first half of {@code bytes}, then closes the channel. Runs on the session thread. */
    void writeHalfAndClose(byte[] bytes) throws IOException {
        lock.lock();
        try {
            writeFully(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
            channel.close();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code prefix}, then {@code fillerLength} bytes of {@code 'x'}, then {@code suffix},
     * in 64 KiB chunks so the line is never held in memory. Runs on the session thread.
     */
    void writePadded(String prefix, long fillerLength, String suffix) throws IOException {
        byte[] filler = new byte[CHUNK];
        Arrays.fill(filler, (byte) 'x');
        lock.lock();
        try {
            writeFully(ByteBuffer.wrap(prefix.getBytes(StandardCharsets.UTF_8)));
            for (long left = fillerLength; left > 0; left -= CHUNK) {
                writeFully(ByteBuffer.wrap(filler, 0, (int) Math.min(CHUNK, left)));
            }
            writeFully(ByteBuffer.wrap(suffix.getBytes(StandardCharsets.UTF_8)));
        } finally {
            lock.unlock();
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void sleepNanos(long nanos) throws InterruptedIOException {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted between bytes");
            }
        }
    }
}
