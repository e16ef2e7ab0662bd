package io.qmp4j.internal.fd;

import io.qmp4j.QmpFdPassingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Native file descriptor operations, with JNA loaded on first use. When JNA is not on the class
 * path (it is an optional dependency of qmp4j-core) every method fails with a
 * {@link QmpFdPassingException} that says which artifact to add. Any thread.
 */
public final class NativeFds {
    private static final String JNA_HINT = "file descriptor passing needs JNA on the class path"
            + " (Maven: net.java.dev.jna:jna:5.17.0 or newer)";

    private NativeFds() {
    }

    /** Throws a clear {@link QmpFdPassingException} unless JNA and a supported platform are present. */
    public static void requireAvailable() {
        try {
            LibC.errno();
        } catch (NoClassDefFoundError e) {
            throw new QmpFdPassingException(JNA_HINT, e);
        } catch (ExceptionInInitializerError e) {
            throw new QmpFdPassingException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (UnsatisfiedLinkError e) {
            throw new QmpFdPassingException("cannot load libc through JNA: " + e.getMessage(), e);
        }
    }

    /** Whether JNA and a supported platform are present (checked once). */
    public static boolean isAvailable() {
        return Availability.AVAILABLE;
    }

    private static final class Availability {
        static final boolean AVAILABLE = check();

        private static boolean check() {
            try {
                requireAvailable();
                return true;
            } catch (QmpFdPassingException e) {
                return false;
            }
        }
    }

    /**
     * Waits until {@code fd} is readable (or writable, with {@code forWriting}), has hung up or
     * failed, for at most {@code timeoutMillis}. Returns false when the time ran out.
     */
    public static boolean await(int fd, boolean forWriting, int timeoutMillis) {
        requireAvailable();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int[] pollfd = {fd, forWriting ? LibC.POLLOUT : LibC.POLLIN};
        while (true) {
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            int n = LibC.poll(pollfd, 1, left);
            if (n > 0) {
                return true;
            }
            if (n == 0) {
                return false;
            }
            int errno = LibC.errno();
            if (errno != LibC.EINTR) {
                throw new UncheckedIOException(new IOException("poll failed: " + describe(errno)));
            }
        }
    }

    /** Opens {@code path} close-on-exec, read-only or read-write (creating it with mode 0600 if asked). */
    public static int open(Path path, boolean writable, boolean create) {
        requireAvailable();
        int flags = (writable ? LibC.O_RDWR : LibC.O_RDONLY) | LibC.O_CLOEXEC | (create ? LibC.O_CREAT : 0);
        int fd = LibC.open(path.toString(), flags, 0600);
        if (fd < 0) {
            int errno = LibC.errno();
            throw new UncheckedIOException(new IOException("cannot open " + path + ": " + describe(errno)));
        }
        return fd;
    }

    /** A connected pair of close-on-exec UNIX stream sockets. */
    public static int[] socketPair() {
        requireAvailable();
        int[] fds = new int[2];
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds) != 0) {
            throw new UncheckedIOException(new IOException("socketpair failed: " + describe(LibC.errno())));
        }
        return fds;
    }

    /** Closes {@code fd}; an error (already closed) is ignored. */
    public static void close(int fd) {
        requireAvailable();
        LibC.close(fd);
    }

    /** Whether {@code fd} is an open descriptor of this process. */
    public static boolean isOpen(int fd) {
        requireAvailable();
        return LibC.fcntl(fd, LibC.F_GETFD) >= 0;
    }

    /** The most descriptors one command may carry (QEMU keeps at most 16 per message). */
    public static int maxFdsPerMessage() {
        return LibC.MAX_FDS;
    }

    /**
     * Event loop: sends {@code data[offset, offset+length)} with {@code fds} attached, without
     * blocking. Returns the number of bytes sent (at least 1 means the descriptors went too), or
     * {@code -errno} ({@code -EAGAIN} when the socket buffer is full and nothing was sent).
     */
    public static long send(int socket, byte[] data, int offset, int length, int[] fds) {
        long n;
        do {
            n = LibC.sendWithFds(socket, data, offset, length, fds);
        } while (n == -LibC.EINTR);
        return n;
    }

    /** Whether {@code result} of {@link #send} means "socket full, try later". */
    public static boolean wouldBlock(long result) {
        return result == -LibC.EAGAIN;
    }

    /** Whether {@code result} of {@link #send} means one of the descriptors to pass is not open. */
    public static boolean badDescriptor(long result) {
        return result == -LibC.EBADF;
    }

    /** {@code strerror(errno)} with the number, e.g. {@code "Bad file descriptor (errno 9)"}. */
    public static String describe(int errno) {
        String text;
        try {
            text = LibC.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }
}
