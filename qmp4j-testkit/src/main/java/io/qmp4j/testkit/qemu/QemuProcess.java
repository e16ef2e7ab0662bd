package io.qmp4j.testkit.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * QemuProcess.Builder paused = QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true);
 * try (QemuProcess qemu = paused.start()) {
 *     connect to qemu.qmpSocket() ...
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} returns only once QEMU is ready: its socket exists, and a probe
 * connection received a QMP greeting and an answer to {@code qmp_capabilities}. The command
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

    /** The second QMP socket's file name, if {@link Builder#secondQmpSocket(boolean)}: {@value}. */
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

    /** Returns a builder with every default (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
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

    /** The second QMP monitor's socket, if {@link Builder#secondQmpSocket(boolean)} asked. */
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

    /**
     * An immutable description of how to start QEMU: every method returns a new builder and leaves
     * this one unchanged, so a configured builder can be shared between tests. The defaults give
     * {@code qemu-system-x86_64 -machine none -nodefaults -display none -qmp
     * unix:DIR/qmp.sock,server=on,wait=off}, where DIR is a fresh temporary directory.
     */
    public static final class Builder {

        /** The longest UNIX socket path Linux accepts, in bytes (sun_path minus its NUL). */
        static final int MAX_SOCKET_PATH_BYTES = 107;

        private final QemuBinary binary;
        private final String machine;
        private final int memoryMiB;
        private final boolean startPaused;
        private final List<String> extraArgs;
        private final Duration startTimeout;
        private final boolean secondQmpSocket;
        private final Path temporaryRoot;

        private Builder() {
            this(null, "none", 0, false, List.of(), Duration.ofSeconds(10), false, null);
        }

        private Builder(QemuBinary binary, String machine, int memoryMiB, boolean startPaused,
                List<String> extraArgs, Duration startTimeout, boolean secondQmpSocket,
                Path temporaryRoot) {
            this.binary = binary;
            this.machine = machine;
            this.memoryMiB = memoryMiB;
            this.startPaused = startPaused;
            this.extraArgs = extraArgs;
            this.startTimeout = startTimeout;
            this.secondQmpSocket = secondQmpSocket;
            this.temporaryRoot = temporaryRoot;
        }

        /**
         * Sets the binary to run. Default: {@link QemuBinary#require()} at {@link #start()}, which
         * honours {@code -Dqmp4j.qemu}, {@code QMP4J_QEMU} and {@code PATH}.
         */
        public Builder binary(QemuBinary binary) {
            Objects.requireNonNull(binary, "binary");
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets the machine type passed as {@code -machine}, for example {@code "pc"} for a VM that
         * can be stopped, continued and take devices. Default: {@code "none"}, the cheapest QEMU
         * that still speaks QMP.
         */
        public Builder machine(String machine) {
            Objects.requireNonNull(machine, "machine");
            if (machine.isBlank()) {
                throw new IllegalArgumentException("machine must not be blank");
            }
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets the guest RAM in MiB, passed as {@code -m}. Default: not passed, so QEMU uses its
         * own default (128 MiB in QEMU 7.2).
         */
        public Builder memoryMiB(int memoryMiB) {
            if (memoryMiB <= 0) {
                throw new IllegalArgumentException("memoryMiB must be > 0 but was " + memoryMiB);
            }
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets whether QEMU starts with its CPUs stopped ({@code -S}), so {@code query-status}
         * reports {@code "prelaunch"} until {@code cont}. Default: {@code false}.
         */
        public Builder startPaused(boolean startPaused) {
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets further arguments, appended after all others in the given order; replaces earlier
         * extra arguments. Default: none. {@code -daemonize} is refused because the launcher must
         * own the process.
         */
        public Builder extraArgs(String... args) {
            List<String> copy = List.of(args); // rejects null elements
            if (copy.contains("-daemonize")) {
                throw new IllegalArgumentException("extraArgs must not contain -daemonize: the"
                        + " launcher must own the QEMU process to stop it");
            }
            return new Builder(binary, machine, memoryMiB, startPaused, copy, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets how long {@link #start()} waits for QEMU to become ready before giving up. Default:
         * 10 s (QEMU is usually ready in about 25 ms).
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be > 0 but was "
                        + startTimeout);
            }
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets whether QEMU gets a second, independent QMP monitor at {@code DIR/qmp2.sock}, for a
         * test that needs to act (say {@code quit}) while its client holds the first. Default:
         * {@code false}.
         */
        public Builder secondQmpSocket(boolean secondQmpSocket) {
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Sets the directory under which each process's temporary directory is created. Default:
         * {@code java.io.tmpdir}. Socket paths must stay under 108 bytes, so keep it short.
         */
        public Builder temporaryRoot(Path temporaryRoot) {
            Objects.requireNonNull(temporaryRoot, "temporaryRoot");
            return new Builder(binary, machine, memoryMiB, startPaused, extraArgs, startTimeout,
                    secondQmpSocket, temporaryRoot);
        }

        /**
         * Launches QEMU in a fresh temporary directory and returns once every QMP socket has sent a
         * greeting and answered {@code qmp_capabilities} on a probe connection, which is closed
         * again; this builder can be started again for another process.
         *
         * @throws QemuStartException if QEMU cannot be spawned, exits early (for example on a bad
         *     option) or is not ready within {@link #startTimeout(Duration)}; the message holds
         *     the command line and QEMU's output, and no process or directory is left behind
         * @throws IllegalStateException if no QEMU binary is installed, or the socket path would be
         *     too long
         * @throws java.io.UncheckedIOException if the temporary directory cannot be created
         */
        public QemuProcess start() {
            QemuBinary bin = binary != null ? binary : QemuBinary.require();
            Path dir = createDirectory();
            Path socket = dir.resolve(secondQmpSocket ? SECOND_QMP_SOCKET : QMP_SOCKET);
            if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                FileSupport.deleteRecursively(dir);
                throw new IllegalStateException("socket path " + socket + " is longer than "
                        + MAX_SOCKET_PATH_BYTES + " bytes; choose a shorter temporaryRoot");
            }
            return launch(bin, commandLine(bin.path(), dir), dir, secondQmpSocket, startTimeout);
        }

        /** Assembles the command line for a process whose directory is {@code dir}. */
        List<String> commandLine(Path binaryPath, Path dir) {
            List<String> cmd = new ArrayList<>(List.of(binaryPath.toString(),
                    "-machine", machine, "-nodefaults", "-display", "none"));
            if (memoryMiB > 0) {
                cmd.addAll(List.of("-m", Integer.toString(memoryMiB)));
            }
            if (startPaused) {
                cmd.add("-S");
            }
            cmd.addAll(List.of("-qmp", qmpOption(dir.resolve(QMP_SOCKET))));
            if (secondQmpSocket) {
                cmd.addAll(List.of("-qmp", qmpOption(dir.resolve(SECOND_QMP_SOCKET))));
            }
            cmd.addAll(extraArgs);
            return cmd;
        }

        /** The configured start timeout. */
        Duration startTimeout() {
            return startTimeout;
        }

        private static String qmpOption(Path socket) {
            return "unix:" + socket + ",server=on,wait=off";
        }

        private Path createDirectory() {
            Path root = temporaryRoot != null ? temporaryRoot
                    : Path.of(System.getProperty("java.io.tmpdir"));
            try {
                return Files.createTempDirectory(root, "qmp4j-qemu-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory in " + root, e);
            }
        }
    }
}
