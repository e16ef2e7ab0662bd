package io.qmp4j.testkit.qga;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A real QEMU guest agent ({@code qemu-ga}) running on the host for one test, listening on a UNIX
 * socket in a fresh temporary directory: {@code qemu-ga -m unix-listen -p DIR/qga.sock -t
 * DIR/state -b BLOCKED}. It speaks exactly what a guest's agent speaks over virtio-serial; its
 * commands act on the host, which is why the defaults block the dangerous ones and run it as
 * {@code nobody} when the JVM is root.
 *
 * <pre>{@code
 * try (QgaProcess agent = QgaProcess.start();
 *      QgaConnection ga = QgaConnection.builder(agent.socketPath()).build()) {
 *     ga.connect();
 *     ga.ping();
 * }
 * }</pre>
 *
 * <p>{@link #close()} ends the agent (SIGTERM, then SIGKILL after 2 s) and deletes the directory;
 * a JVM shutdown hook kills it if the JVM exits first. {@link #kill()}, {@link #suspend()} and
 * {@link #resume()} imitate an agent that crashes or hangs. Methods are safe from any thread.
 */
public final class QgaProcess implements AutoCloseable {
    /** The binary's name: {@value}. */
    public static final String NAME = "qemu-ga";
    /** The system property naming the binary: {@value}. */
    public static final String PROPERTY = "qmp4j.qemuGa";
    /** The environment variable naming the binary: {@value}. */
    public static final String ENV = "QMP4J_QEMU_GA";
    /** What to install when it is missing. */
    public static final String INSTALL_HINT = "qemu-ga not found: install it with apt-get install qemu-guest-agent";

    private static final int NOBODY = 65534;
    private static final Duration TERM_GRACE = Duration.ofSeconds(2);
    private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin");

    private final Path directory;
    private final Path socket;
    private final Process process;
    private final List<String> commandLine;
    private final boolean unprivileged;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private QgaProcess(Path directory, Process process, List<String> commandLine, boolean unprivileged) {
        this.directory = directory;
        this.socket = directory.resolve("qga.sock");
        this.process = process;
        this.commandLine = List.copyOf(commandLine);
        this.unprivileged = unprivileged;
        this.shutdownHook = new Thread(() -> {
            process.destroyForcibly();
            deleteRecursively(directory);
        }, "qmp4j-qga-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder with every default (see {@link QgaProcessBuilder}). */
    public static QgaProcessBuilder builder() {
        return new QgaProcessBuilder();
    }

    /** Starts an agent with every default; same as {@code builder().start()}. */
    public static QgaProcess start() {
        return builder().start();
    }

    /**
     * Finds {@code qemu-ga}: {@code -Dqmp4j.qemuGa}, then {@code QMP4J_QEMU_GA}, then {@code PATH}
     * and the sbin directories (Debian installs it in {@code /usr/sbin}, often not on a user's PATH).
     */
    public static Optional<Path> findBinary() {
        for (String named : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
            if (named != null && !named.isBlank()) {
                Path p = Path.of(named.trim());
                return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
            }
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(SBIN);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, NAME))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    static QgaProcess launch(QgaProcessBuilder b) {
        Path binary = b.binary != null ? b.binary : findBinary().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        boolean root = isRoot();
        boolean dropPrivileges = root && b.unprivileged;
        Set<String> blocked = new LinkedHashSet<>(b.blocked);
        if (root && !dropPrivileges) {
            blocked.addAll(QgaProcessBuilder.PRIVILEGED_BLOCKLIST);
        }
        Path dir = createDirectory(dropPrivileges);
        List<String> cmd = new ArrayList<>();
        if (dropPrivileges) {
            cmd.addAll(List.of(setpriv(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        cmd.addAll(List.of(binary.toString(), "-m", "unix-listen", "-p", dir.resolve("qga.sock").toString(),
                "-t", dir.resolve("state").toString()));
        if (!blocked.isEmpty()) {
            cmd.addAll(List.of("-b", String.join(",", blocked)));
        }
        Process process;
        try {
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu-ga.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            deleteRecursively(dir);
            throw new IllegalStateException("cannot launch " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        QgaProcess agent = new QgaProcess(dir, process, cmd, !root || dropPrivileges);
        try {
            agent.awaitReady(b.startTimeout);
            return agent;
        } catch (RuntimeException e) {
            String log = agent.log();
            agent.close();
            throw new IllegalStateException(e.getMessage() + "; command: " + String.join(" ", cmd) + "; log:\n" + log, e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("qemu-ga exited with status " + process.exitValue() + " before it listened");
            }
            if (Files.exists(socket)) {
                try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    probe.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // bound but not listening yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("qemu-ga did not listen on " + socket + " within " + timeout.toMillis()
                        + " ms");
            }
            pause(10);
        }
    }

    /** The agent's UNIX socket: what a VM's virtio-serial chardev socket is on a real host. */
    public Path socketPath() {
        return socket;
    }

    /** The temporary directory (socket, {@code state/}, {@code qemu-ga.log}); deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** The agent's process id. */
    public long pid() {
        return process.pid();
    }

    /** The command that was run. */
    public List<String> commandLine() {
        return commandLine;
    }

    /**
     * Whether the agent runs without root rights, so that privileged commands (fsfreeze) fail
     * with "Operation not permitted". Files it creates belong to {@code nobody} then.
     */
    public boolean isUnprivileged() {
        return unprivileged;
    }

    /** Whether the agent process is running (a suspended one is running). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the agent wrote to stdout and stderr so far. */
    public String log() {
        try {
            return new String(Files.readAllBytes(directory.resolve("qemu-ga.log")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the agent with SIGKILL, as a crash would, and waits until it is gone (at most 10 s). */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** Stops the agent with SIGSTOP, like a hung agent: connections are accepted, nothing is answered. */
    public void suspend() {
        signal("STOP");
    }

    /** Continues the agent after {@link #suspend()}; it then answers what queued up. */
    public void resume() {
        signal("CONT");
    }

    /** Ends the agent (SIGTERM, SIGKILL after 2 s) and deletes the directory; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (process.isAlive()) {
                signal("CONT"); // a stopped process cannot act on SIGTERM
                process.destroy();
                if (!awaitExit(TERM_GRACE)) {
                    kill();
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook runs anyway
            }
            deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return "QgaProcess[pid=" + pid() + ", socket=" + socket + ", " + (process.isAlive() ? "alive" : "exited") + "]";
    }

    private void signal(String name) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling qemu-ga", e);
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux: assume not root
        }
        return false;
    }

    private static String setpriv() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "setpriv"))) {
                return dir + "/setpriv";
            }
        }
        throw new IllegalStateException("running as root, and setpriv (util-linux) is missing to start qemu-ga as"
                + " nobody; install util-linux or use QgaProcess.builder().unprivileged(false)");
    }

    private static Path createDirectory(boolean forNobody) {
        try {
            Path dir = Files.createTempDirectory("qmp4j-qga-");
            Files.createDirectory(dir.resolve("state"));
            if (forNobody) {
                Files.setAttribute(dir, "unix:uid", NOBODY);
                Files.setAttribute(dir, "unix:gid", NOBODY);
                Files.setAttribute(dir.resolve("state"), "unix:uid", NOBODY);
                Files.setAttribute(dir.resolve("state"), "unix:gid", NOBODY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for qemu-ga", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for qemu-ga", e);
        }
    }
}
