package io.qmp4j.testkit.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link QemuProcess}; obtained from {@link QemuProcess#builder()}. It
 * is an immutable description of how to start QEMU: every method returns a new builder and leaves
 * this one unchanged, so a configured builder can be shared between tests. The defaults give
 * {@code qemu-system-x86_64 -machine none -nodefaults -display none -qmp
 * unix:DIR/qmp.sock,server=on,wait=off}, where DIR is a fresh temporary directory.
 */
public final class QemuProcessBuilder {

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
    private final boolean ownSession;

    QemuProcessBuilder() {
        this(null, "none", 0, false, List.of(), Duration.ofSeconds(10), false, null, false);
    }

    private QemuProcessBuilder(QemuBinary binary, String machine, int memoryMiB,
            boolean startPaused, List<String> extraArgs, Duration startTimeout,
            boolean secondQmpSocket, Path temporaryRoot, boolean ownSession) {
        this.binary = binary;
        this.machine = machine;
        this.memoryMiB = memoryMiB;
        this.startPaused = startPaused;
        this.extraArgs = extraArgs;
        this.startTimeout = startTimeout;
        this.secondQmpSocket = secondQmpSocket;
        this.temporaryRoot = temporaryRoot;
        this.ownSession = ownSession;
    }

    /**
     * Sets the binary to run. Default: {@link QemuBinary#require()} at {@link #start()}, which
     * honours {@code -Dqmp4j.qemu}, {@code QMP4J_QEMU} and {@code PATH}.
     */
    public QemuProcessBuilder binary(QemuBinary binary) {
        Objects.requireNonNull(binary, "binary");
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets the machine type passed as {@code -machine}, for example {@code "pc"} for a VM that
     * can be stopped, continued and take devices. Default: {@code "none"}, the cheapest QEMU
     * that still speaks QMP.
     */
    public QemuProcessBuilder machine(String machine) {
        Objects.requireNonNull(machine, "machine");
        if (machine.isBlank()) {
            throw new IllegalArgumentException("machine must not be blank");
        }
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets the guest RAM in MiB, passed as {@code -m}. Default: not passed, so QEMU uses its
     * own default (128 MiB in QEMU 7.2).
     */
    public QemuProcessBuilder memoryMiB(int memoryMiB) {
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("memoryMiB must be > 0 but was " + memoryMiB);
        }
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets whether QEMU starts with its CPUs stopped ({@code -S}), so {@code query-status}
     * reports {@code "prelaunch"} until {@code cont}. Default: {@code false}.
     */
    public QemuProcessBuilder startPaused(boolean startPaused) {
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets further arguments, appended after all others in the given order; replaces earlier
     * extra arguments. Default: none. {@code -daemonize} is refused because the launcher must
     * own the process.
     */
    public QemuProcessBuilder extraArgs(String... args) {
        List<String> copy = List.of(args); // rejects null elements
        if (copy.contains("-daemonize")) {
            throw new IllegalArgumentException("extraArgs must not contain -daemonize: the"
                    + " launcher must own the QEMU process to stop it");
        }
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, copy,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets how long {@link #start()} waits for QEMU to become ready before giving up. Default:
     * 10 s (QEMU is usually ready in about 25 ms).
     */
    public QemuProcessBuilder startTimeout(Duration startTimeout) {
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be > 0 but was "
                    + startTimeout);
        }
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets whether QEMU gets a second, independent QMP monitor at {@code DIR/qmp2.sock}, for a
     * test that needs to act (say {@code quit}) while its client holds the first. Default:
     * {@code false}.
     */
    public QemuProcessBuilder secondQmpSocket(boolean secondQmpSocket) {
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets the directory under which each process's temporary directory is created. Default:
     * {@code java.io.tmpdir}. Socket paths must stay under 108 bytes, so keep it short.
     */
    public QemuProcessBuilder temporaryRoot(Path temporaryRoot) {
        Objects.requireNonNull(temporaryRoot, "temporaryRoot");
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
    }

    /**
     * Sets whether QEMU runs in a session (and process group) of its own, started through
     * {@code setsid}, so that Ctrl-C at the terminal of an interactive program that started it
     * reaches only that program and not QEMU, which would quit on SIGINT. Default: {@code false}.
     */
    public QemuProcessBuilder ownSession(boolean ownSession) {
        return new QemuProcessBuilder(binary, machine, memoryMiB, startPaused, extraArgs,
                startTimeout, secondQmpSocket, temporaryRoot, ownSession);
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
        Path socket = dir.resolve(secondQmpSocket ? QemuProcess.SECOND_QMP_SOCKET
                : QemuProcess.QMP_SOCKET);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            FileSupport.deleteRecursively(dir);
            throw new IllegalStateException("socket path " + socket + " is longer than "
                    + MAX_SOCKET_PATH_BYTES + " bytes; choose a shorter temporaryRoot");
        }
        return QemuProcess.launch(bin, commandLine(bin.path(), dir), dir, secondQmpSocket,
                startTimeout);
    }

    /** Assembles the command line for a process whose directory is {@code dir}. */
    List<String> commandLine(Path binaryPath, Path dir) {
        List<String> cmd = new ArrayList<>();
        if (ownSession) {
            cmd.add("setsid"); // not a process group leader, so it execs QEMU in place: same pid
        }
        cmd.addAll(List.of(binaryPath.toString(), "-machine", machine, "-nodefaults", "-display", "none"));
        if (memoryMiB > 0) {
            cmd.addAll(List.of("-m", Integer.toString(memoryMiB)));
        }
        if (startPaused) {
            cmd.add("-S");
        }
        cmd.addAll(List.of("-qmp", qmpOption(dir.resolve(QemuProcess.QMP_SOCKET))));
        if (secondQmpSocket) {
            cmd.addAll(List.of("-qmp", qmpOption(dir.resolve(QemuProcess.SECOND_QMP_SOCKET))));
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
