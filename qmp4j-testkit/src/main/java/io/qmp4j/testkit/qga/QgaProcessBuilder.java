package io.qmp4j.testkit.qga;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Configures and starts a {@link QgaProcess}; obtained from {@link QgaProcess#builder()}.
 * Defaults: the binary {@link QgaProcess#findBinary()} finds, {@link #HOST_SAFETY_BLOCKLIST}
 * blocked, unprivileged, a 10 s start timeout. Not thread-safe.
 */
public final class QgaProcessBuilder {
    /**
     * The commands blocked by default because on a host agent they would act on the host itself:
     * power state, clock, users, CPUs, memory, SSH keys, TRIM.
     */
    public static final Set<String> HOST_SAFETY_BLOCKLIST = Set.of("guest-shutdown", "guest-suspend-disk",
            "guest-suspend-ram", "guest-suspend-hybrid", "guest-set-time", "guest-set-user-password",
            "guest-set-vcpus", "guest-set-memory-blocks", "guest-ssh-add-authorized-keys",
            "guest-ssh-remove-authorized-keys", "guest-fstrim");

    /** What an agent with root rights must not run either: freezing the host's filesystems. */
    static final Set<String> PRIVILEGED_BLOCKLIST = Set.of("guest-fsfreeze-freeze", "guest-fsfreeze-freeze-list");

    Path binary;
    Set<String> blocked = new LinkedHashSet<>(HOST_SAFETY_BLOCKLIST);
    boolean unprivileged = true;
    Duration startTimeout = Duration.ofSeconds(10);

    QgaProcessBuilder() {
    }

    /** The {@code qemu-ga} executable. Default: {@link QgaProcess#findBinary()} at {@link #start()}. */
    public QgaProcessBuilder binary(Path binary) {
        this.binary = Objects.requireNonNull(binary, "binary");
        return this;
    }

    /**
     * The commands to block ({@code qemu-ga -b}): the agent answers them with
     * {@code CommandNotFound: Command X has been disabled}. Replaces the default,
     * {@link #HOST_SAFETY_BLOCKLIST}; remove entries only if you know what they do to the host.
     */
    public QgaProcessBuilder blockedCommands(Set<String> commands) {
        this.blocked = new LinkedHashSet<>(commands);
        return this;
    }

    /** Adds {@code commands} to the blocked ones. */
    public QgaProcessBuilder block(String... commands) {
        blocked.addAll(List.of(commands));
        return this;
    }

    /**
     * Whether to run the agent as {@code nobody} when the JVM runs as root (through
     * {@code setpriv}), so that it cannot freeze the host's filesystems and its guest-exec and
     * file commands act with no rights. Default true. With false, a root agent also gets the
     * fsfreeze commands blocked.
     */
    public QgaProcessBuilder unprivileged(boolean unprivileged) {
        this.unprivileged = unprivileged;
        return this;
    }

    /** How long {@link #start()} waits for the agent's socket to accept connections. Default 10 s. */
    public QgaProcessBuilder startTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
        }
        this.startTimeout = timeout;
        return this;
    }

    /**
     * Starts the agent in a fresh temporary directory and returns once its socket accepts a
     * connection.
     *
     * @throws IllegalStateException when {@code qemu-ga} (or, for root, {@code setpriv}) is missing,
     *     or the agent exits or is not ready in time (the message carries its log)
     */
    public QgaProcess start() {
        return QgaProcess.launch(this);
    }
}
