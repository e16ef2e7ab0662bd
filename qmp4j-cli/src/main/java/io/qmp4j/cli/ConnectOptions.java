package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say which monitor to talk to and how to connect (a picocli mixin shared by
 * every subcommand): {@code -s/--socket}, {@code --connect-timeout} and {@code --no-oob}.
 *
 * <p>Every {@link QmpConnection} the command line builds is built here, so new address forms
 * (TCP, TLS, listen mode) are added in this one place.
 */
public final class ConnectOptions {
    /** The connection timeout when neither {@code --connect-timeout} nor a command timeout is given. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-s", "--socket"}, paramLabel = "PATH",
            description = "The QMP monitor's UNIX socket (QEMU's -qmp unix:PATH,server=on,wait=off).")
    Path socket;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the socket, QEMU's greeting and capability negotiation:"
                    + " 10 (seconds), 10s, 500ms, 2m. Default: the command's --timeout if it has one, else 5s.")
    Duration connectTimeout;

    @Option(names = "--no-oob", description = "Do not enable QMP's out-of-band capability"
            + " (it is enabled when QEMU offers it).")
    boolean noOob;

    /** Creates the options with their defaults; picocli fills them in. */
    public ConnectOptions() {
    }

    /** The monitor socket given with {@code -s}, or {@code null}. */
    public Path socket() {
        return socket;
    }

    /** Whether out-of-band execution is enabled when QEMU offers it. */
    public boolean oob() {
        return !noOob;
    }

    /**
     * The socket given with {@code -s}.
     *
     * @throws ParameterException (a usage error, exit 2) when none was given
     */
    public Path requireSocket() {
        if (socket == null) {
            throw new ParameterException(mixee.commandLine(), "Missing required option: '--socket=PATH'");
        }
        return socket;
    }

    /**
     * Connects to the monitor given with {@code -s} and negotiates capabilities.
     *
     * @param commandTimeout the default reply timeout of the connection; also the connection
     *                       timeout unless {@code --connect-timeout} is given; {@code null} for 5 s
     * @throws ParameterException when no socket was given
     * @throws QmpException       when there is no usable session; nothing is left open then
     */
    public QmpConnection connect(Duration commandTimeout) {
        return connect(requireSocket(), commandTimeout);
    }

    /**
     * Connects to the monitor at {@code monitor} (a QEMU the command started itself, for example).
     *
     * @see #connect(Duration)
     */
    public QmpConnection connect(Path monitor, Duration commandTimeout) {
        Duration replies = commandTimeout != null ? commandTimeout : DEFAULT_CONNECT_TIMEOUT;
        Duration connecting = connectTimeout != null ? connectTimeout : replies;
        QmpConnection qmp = QmpConnection.builder(monitor)
                .connectTimeout(connecting)
                .commandTimeout(replies)
                .enableOob(oob())
                .build();
        try {
            qmp.connect();
            return qmp;
        } catch (RuntimeException e) {
            qmp.close();
            throw e;
        }
    }
}
