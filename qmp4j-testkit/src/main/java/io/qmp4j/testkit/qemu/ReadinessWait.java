package io.qmp4j.testkit.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: waits until a freshly spawned QEMU is ready, meaning each QMP socket exists and a
 * connection to it received a greeting and an answer to {@code qmp_capabilities} (see
 * {@link QmpProbe}); fails fast if QEMU exits first. Caller thread.
 */
final class ReadinessWait {

    /** Pause between polls; QEMU needs about 20 ms to come up. */
    private static final long POLL_MILLIS = 2;

    private final Process process;
    private final List<Path> pending;
    private final Duration timeout;
    private volatile Integer exitCode;

    ReadinessWait(Process process, List<Path> sockets, Duration timeout) {
        this.process = process;
        this.pending = new ArrayList<>(sockets);
        this.timeout = timeout;
    }

    /**
     * Returns once every socket has greeted and answered.
     *
     * @throws NotReadyException if QEMU exits, a socket is not a working QMP monitor, the timeout
     *     passes, or the thread is interrupted
     */
    void await() {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException lastProbeFailure = null;
        while (!pending.isEmpty()) {
            if (!process.isAlive()) {
                exitCode = process.exitValue();
                throw new NotReadyException("QEMU exited with code " + exitCode
                        + " before its QMP socket answered", lastProbeFailure);
            }
            Path socket = pending.get(0);
            if (Files.exists(socket)) {
                try {
                    QmpProbe.handshake(socket, deadline);
                    pending.remove(0);
                    continue;
                } catch (QmpProbe.NotQmpException e) {
                    throw new NotReadyException(e.getMessage(), e);
                } catch (IOException e) {
                    lastProbeFailure = e; // not listening yet, or QEMU is dying: look again
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new NotReadyException("QEMU's QMP socket " + socket + " did not greet and"
                        + " answer qmp_capabilities within " + timeout.toMillis() + " ms",
                        lastProbeFailure);
            }
            pause();
        }
    }

    /** QEMU's exit code if it exited on its own while {@link #await()} waited, else null. */
    Integer exitCode() {
        return exitCode;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReadyException("interrupted while waiting for QEMU to become ready", e);
        }
    }

    /** Internal: why QEMU did not become ready; turned into a {@link QemuStartException}. */
    static final class NotReadyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReadyException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
