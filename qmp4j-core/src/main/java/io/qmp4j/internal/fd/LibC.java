package io.qmp4j.internal.fd;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls file-descriptor passing needs, bound with JNA's direct mapping (no proxies,
 * no structures, so it works from a named module). Linux on 64-bit only: the {@code msghdr} and
 * {@code cmsghdr} layouts below are those of LP64 Linux (x86_64, aarch64, ppc64le, s390x, riscv64).
 * Loaded on first use by {@link NativeFds}; every method may be called from any thread.
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EBADF = 9;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int F_GETFD = 1;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    /** The most descriptors QEMU accepts with one message (its {@code TCP_MAX_FDS}). */
    static final int MAX_FDS = 16;

    static {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("file descriptor passing is implemented for 64-bit Linux only, not "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    static native int dup(int fd);

    static native int fcntl(int fd, int cmd);

    static native long sendmsg(int fd, Pointer msghdr, int flags);

    static native String strerror(int errno);

    /** {@code poll(2)}; {@code fds} holds {@code struct pollfd}s as int pairs (fd, events | revents << 16). */
    static native int poll(int[] fds, long nfds, int timeoutMillis);

    static int errno() {
        return Native.getLastError();
    }

    /**
     * Sends {@code data[offset, offset+length)} on {@code socket} with {@code fds} attached as one
     * SCM_RIGHTS message, without blocking. Returns the bytes sent, or {@code -errno}.
     */
    static long sendWithFds(int socket, byte[] data, int offset, int length, int[] fds) {
        int controlLen = cmsgSpace(fds.length);
        try (Memory block = new Memory(56 + 16 + controlLen + Math.max(1, length))) {
            block.clear();
            long msg = 0;
            long iov = 56;
            long control = iov + 16;
            long payload = control + controlLen;
            block.write(payload, data, offset, length);
            block.setPointer(iov, block.share(payload)); // iov_base
            block.setLong(iov + 8, length); // iov_len
            block.setLong(control, 16 + 4L * fds.length); // cmsg_len = CMSG_LEN(n * sizeof(int))
            block.setInt(control + 8, SOL_SOCKET); // cmsg_level
            block.setInt(control + 12, SCM_RIGHTS); // cmsg_type
            block.write(control + 16, fds, 0, fds.length); // CMSG_DATA
            block.setPointer(msg + 16, block.share(iov)); // msg_iov
            block.setLong(msg + 24, 1); // msg_iovlen
            block.setPointer(msg + 32, block.share(control)); // msg_control
            block.setLong(msg + 40, controlLen); // msg_controllen
            long n = sendmsg(socket, block, MSG_DONTWAIT | MSG_NOSIGNAL);
            return n >= 0 ? n : -errno();
        }
    }

    /** {@code CMSG_SPACE(n * sizeof(int))} on LP64: a 16-byte header plus data padded to 8 bytes. */
    static int cmsgSpace(int fdCount) {
        return 16 + ((4 * fdCount + 7) & ~7);
    }
}
