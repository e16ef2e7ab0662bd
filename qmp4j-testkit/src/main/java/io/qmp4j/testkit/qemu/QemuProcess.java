package io.qmp4j.testkit.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@code qemu-system-x86_64} process started for one test, with its QMP monitor on a UNIX
 * socket in a fresh temporary directory.
 *
 * <p>Typical use:
 * <pre>{@code
 * QemuProcessBuilder paused = QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true);
 * try (QemuProcess qemu = paused.start()) {
 *     connect to qemu.qmpSocket() ...
 * }
 * }</pre>
 *
 * <p>{@link QemuProcessBuilder#start()} returns only once QEMU is ready: its socket exists, and a
 * probe connection received a QMP greeting and an answer to {@code qmp_capabilities}. The command
 * matters: QEMU 7.2 greets from its monitor I/O thread as soon as the socket exists, possibly
 * before it has rejected a bad {@code -device}, while commands run only once its main loop is up.
 * The probe then disconnects; a QEMU monitor serves one client at a time and accepts the next when
 * the previous one leaves, so the caller's own connection gets a fresh greeting and must negotiate
 * capabilities itself. QEMU's stdout and stderr go to {@link #logFile()}.
 *
 * <p>{@link #close()} ends QEMU (SIGTERM, then SIGKILL after 2 s) and deletes the directory; a JVM
 * shutdown hook, removed by {@code close()}, kills the process if the JVM exits first. Methods are
 * safe to call from any thread.
 */
public final class QemuProcess implements AutoCloseable {

    /** The QMP socket's file name inside {@link #directory()}: {@value}. */
    public static final String QMP_SOCKET = "qmp.sock";

    /**
     * The second QMP socket's file name, if {@link QemuProcessBuilder#secondQmpSocket(boolean)}:
     * {@value}.
     */
    public static final String SECOND_QMP_SOCKET = "qmp2.sock";

    /** The file name of QEMU's captured stdout and stderr inside {@link #directory()}: {@value}. */
    public static final String LOG_FILE = "qemu.log";

    static final int LOG_TAIL_LINES = 30;
    private static final Duration TERM_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final QemuBinary binary;
    private final List<String> commandLine;
    private final Path directory;
    private final Path qmpSocket;
    private final Path secondQmpSocket;
    private final Process process;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean suspended;
    private volatile String logAtClose;

    private QemuProcess(QemuBinary binary, List<String> commandLine, Path directory,
            boolean secondSocket, Process process) {
        this.binary = binary;
        this.commandLine = List.copyOf(commandLine);
        this.directory = directory;
        this.qmpSocket = directory.resolve(QMP_SOCKET);
        this.secondQmpSocket = secondSocket ? directory.resolve(SECOND_QMP_SOCKET) : null;
        this.process = process;
        this.shutdownHook = new Thread(this::killOnJvmExit, "qmp4j-qemu-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Returns a builder with every default (see {@link QemuProcessBuilder}). */
    public static QemuProcessBuilder builder() {
        return new QemuProcessBuilder();
    }

    /**
     * Starts QEMU with every default: {@code -machine none -nodefaults -display none}, not paused,
     * a 10 s start timeout. Same as {@code builder().start()}.
     *
     * @throws QemuStartException if QEMU exits early or is not ready within the timeout
     * @throws IllegalStateException if no QEMU binary is installed ({@link QemuBinary#require()})
     */
    public static QemuProcess start() {
        return builder().start();
    }

    /** Launches {@code commandLine} and waits until every QMP socket answers; caller thread. */
    static QemuProcess launch(QemuBinary binary, List<String> commandLine, Path directory,
            boolean secondSocket, Duration startTimeout) {
        Process process;
        try {
            process = new ProcessBuilder(commandLine)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve(LOG_FILE).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            FileSupport.deleteRecursively(directory);
            throw new QemuStartException("cannot launch QEMU: " + e.getMessage(), commandLine, "",
                    null, e);
        }
        QemuProcess qemu = new QemuProcess(binary, commandLine, directory, secondSocket, process);
        ReadinessWait wait = new ReadinessWait(process, qemu.qmpSockets(), startTimeout);
        try {
            wait.await();
            return qemu;
        } catch (RuntimeException e) {
            throw qemu.failedStart(e, wait.exitCode());
        }
    }

    /** The QMP monitor's UNIX socket, {@code directory()/qmp.sock}. */
    public Path qmpSocket() {
        return qmpSocket;
    }

    /**
     * The second QMP monitor's socket, if {@link QemuProcessBuilder#secondQmpSocket(boolean)}
     * asked.
     */
    public Optional<Path> secondQmpSocket() {
        return Optional.ofNullable(secondQmpSocket);
    }

    /** The operating-system process id of QEMU. */
    public long pid() {
        return process.pid();
    }

    /** The command that was run, one argument per element, binary first. */
    public List<String> commandLine() {
        return commandLine;
    }

    /** The binary that was run. */
    public QemuBinary binary() {
        return binary;
    }

    /** The temporary directory holding the sockets and the log; deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** The file that receives QEMU's stdout and stderr; gone after {@link #close()}. */
    public Path logFile() {
        return directory.resolve(LOG_FILE);
    }

    /**
     * Returns everything QEMU wrote to stdout and stderr so far; after {@link #close()}, what it
     * had written by then.
     */
    public String log() {
        String saved = logAtClose;
        return saved != null ? saved : FileSupport.readLenient(logFile());
    }

    /** Says whether the QEMU process is still running (a suspended process is running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Says whether {@link #suspend()} stopped QEMU and {@link #resume()} has not continued it. */
    public boolean isSuspended() {
        return suspended && process.isAlive();
    }

    /** QEMU's exit code if it has ended, without waiting. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits up to {@code timeout} for QEMU to end, for example after a QMP {@code quit}.
     *
     * @return the exit code, or empty if QEMU is still running when the timeout passes
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    /**
     * Kills QEMU with SIGKILL now, as a crash or the OOM killer would, and waits (at most 10 s)
     * until it is gone. Connected clients see the socket close without a SHUTDOWN event. Does
     * nothing if QEMU has already ended; {@link #close()} is still needed to delete the directory.
     *
     * @throws IllegalStateException if the process does not end within 10 s
     */
    public void kill() {
        process.destroyForcibly();
        if (!awaitExit(KILL_WAIT)) {
            throw new IllegalStateException("QEMU pid " + pid() + " did not exit within "
                    + KILL_WAIT.toSeconds() + " s of SIGKILL");
        }
        suspended = false;
    }

    /**
     * Sends SIGTERM, as a host shutdown would, and returns without waiting: QEMU emits a
     * {@code SHUTDOWN} event (reason {@code host-signal}) and exits. Use {@link #waitFor(Duration)}
     * to wait for it.
     */
    public void terminate() {
        process.destroy();
    }

    /**
     * Stops QEMU with SIGSTOP, so it neither reads its sockets nor answers, like a hung or
     * descheduled VM. Connections are still accepted by the kernel (up to the listen backlog) but
     * nothing is answered until {@link #resume()}. Returns once {@code /proc} shows it stopped (at
     * most 2 s).
     *
     * @throws IllegalStateException if QEMU is not running or the signal cannot be sent
     */
    public void suspend() {
        requireAlive("suspend");
        Signals.send(pid(), "STOP");
        suspended = true;
        Signals.awaitStopped(pid(), true);
    }

    /**
     * Continues QEMU after {@link #suspend()} with SIGCONT; it then serves whatever queued up.
     * Returns once {@code /proc} shows it running (at most 2 s).
     *
     * @throws IllegalStateException if QEMU is not running or the signal cannot be sent
     */
    public void resume() {
        requireAlive("resume");
        Signals.send(pid(), "CONT");
        suspended = false;
        Signals.awaitStopped(pid(), false);
    }

    /**
     * Ends QEMU if it still runs and deletes {@link #directory()}; calling it again does nothing.
     *
     * <p>QEMU gets SIGTERM (which it handles by shutting down cleanly) and 2 s to exit, then
     * SIGKILL; a suspended QEMU gets SIGKILL at once. A QMP {@code quit} is not used because the
     * test's own client usually holds the monitor. If QEMU has already exited (say after {@code
     * quit}), only the directory is deleted. The thread's interrupt status is kept but does not cut
     * the wait short.
     *
     * @throws IllegalStateException if QEMU is still alive 10 s after SIGKILL
     * @throws java.io.UncheckedIOException if the directory cannot be deleted
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stopProcess();
        } finally {
            removeShutdownHook();
            logAtClose = FileSupport.readLenient(logFile());
            FileSupport.deleteRecursively(directory);
        }
    }

    /**
     * Returns a summary such as {@code QemuProcess[pid=42, socket=/tmp/qmp4j-qemu-1/qmp.sock,
     * alive]}.
     */
    @Override
    public String toString() {
        String state = process.isAlive() ? (suspended ? "suspended" : "alive")
                : "exited " + process.exitValue();
        return "QemuProcess[pid=" + pid() + ", socket=" + qmpSocket + ", " + state + "]";
    }

    /** Kills QEMU, deletes its directory and describes why it did not become ready. */
    private QemuStartException failedStart(RuntimeException failure, Integer exitCode) {
        boolean expected = failure instanceof ReadinessWait.NotReadyException;
        Throwable cause = expected ? failure.getCause() : failure;
        String reason = expected ? failure.getMessage()
                : "failed while waiting for QEMU to become ready: " + failure;
        List<RuntimeException> cleanupFailures = new ArrayList<>();
        try {
            kill(); // no SIGTERM grace: nothing worth shutting down cleanly yet
        } catch (RuntimeException e) {
            cleanupFailures.add(e);
        }
        try {
            close(); // keeps the log for log(), then deletes the directory
        } catch (RuntimeException e) {
            cleanupFailures.add(e);
        }
        QemuStartException ex = new QemuStartException(reason, commandLine,
                FileSupport.tail(log(), LOG_TAIL_LINES), exitCode, cause);
        cleanupFailures.forEach(ex::addSuppressed);
        return ex;
    }

    private List<Path> qmpSockets() {
        return secondQmpSocket == null ? List.of(qmpSocket) : List.of(qmpSocket, secondQmpSocket);
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        if (suspended) {
            process.destroyForcibly(); // a stopped process cannot act on SIGTERM
        } else {
            process.destroy();
        }
        if (!awaitExit(TERM_GRACE)) {
            process.destroyForcibly();
            if (!awaitExit(KILL_WAIT)) {
                throw new IllegalStateException("QEMU pid " + pid() + " did not exit within "
                        + KILL_WAIT.toSeconds() + " s of SIGKILL");
            }
        }
    }

    /** Waits up to {@code timeout} for the process to end, ignoring (but keeping) interrupts. */
    private boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void requireAlive(String action) {
        if (!process.isAlive()) {
            throw new IllegalStateException("cannot " + action + " QEMU pid " + pid()
                    + ": it exited with code " + process.exitValue());
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook is running or has run
        }
    }

    /** Runs in the JVM's shutdown hook thread: leave no QEMU behind an aborted test run. */
    private void killOnJvmExit() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(2));
        try {
            FileSupport.deleteRecursively(directory);
        } catch (RuntimeException e) {
            // best effort during JVM exit
        }
    }
}
