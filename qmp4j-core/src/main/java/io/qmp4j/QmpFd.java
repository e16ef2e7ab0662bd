package io.qmp4j;

import io.qmp4j.internal.fd.NativeFds;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A native file descriptor to pass to QEMU over a UNIX monitor socket (SCM_RIGHTS), for
 * {@code getfd} and {@code add-fd}: see {@link QmpConnection#getfd(String, QmpFd)} and
 * {@link QmpConnection#addFd}.
 *
 * <p>An instance either <em>owns</em> its descriptor ({@link #open}, {@link #socketPair},
 * {@link #adopt}: {@link #close()} closes it) or <em>borrows</em> it ({@link #borrow}: the caller
 * keeps closing it). Passing a descriptor gives QEMU its own duplicate, so closing ours after the
 * command returned does not affect QEMU. Needs JNA (an optional dependency) and 64-bit Linux;
 * otherwise the factories throw {@link QmpFdPassingException}. Thread-safe.
 */
public final class QmpFd implements AutoCloseable {
    private final int fd;
    private final boolean owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QmpFd(int fd, boolean owned) {
        if (fd < 0) {
            throw new IllegalArgumentException("file descriptor must be >= 0, got " + fd);
        }
        this.fd = fd;
        this.owned = owned;
    }

    /**
     * Opens {@code path} (close-on-exec), read-write if {@code writable}, else read-only.
     *
     * @throws java.io.UncheckedIOException naming the path and the system error
     */
    public static QmpFd open(Path path, boolean writable) {
        return new QmpFd(NativeFds.open(path, writable, false), true);
    }

    /** A connected pair of UNIX stream sockets (close-on-exec), both owned. */
    public static QmpFd[] socketPair() {
        int[] fds = NativeFds.socketPair();
        return new QmpFd[] {new QmpFd(fds[0], true), new QmpFd(fds[1], true)};
    }

    /** Takes ownership of {@code fd}: {@link #close()} will close it. */
    public static QmpFd adopt(int fd) {
        NativeFds.requireAvailable();
        return new QmpFd(fd, true);
    }

    /** Refers to {@code fd} without owning it: {@link #close()} leaves it open. */
    public static QmpFd borrow(int fd) {
        NativeFds.requireAvailable();
        return new QmpFd(fd, false);
    }

    /** The descriptor number. */
    public int value() {
        return fd;
    }

    /** Whether {@link #close()} closes the descriptor. */
    public boolean isOwned() {
        return owned;
    }

    /** Whether the descriptor is currently open in this process. */
    public boolean isOpen() {
        return !closed.get() && NativeFds.isOpen(fd);
    }

    /** Closes the descriptor if owned; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && owned) {
            NativeFds.close(fd);
        }
    }

    @Override
    public String toString() {
        return "QmpFd[" + fd + (owned ? ", owned" : ", borrowed") + (closed.get() ? ", closed" : "") + "]";
    }
}
