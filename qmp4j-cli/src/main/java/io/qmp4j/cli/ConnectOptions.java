package io.qmp4j.cli;

import io.qmp4j.QmpAddress;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionBuilder;
import io.qmp4j.QmpException;
import io.qmp4j.QmpListener;
import io.qmp4j.QmpTlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say which monitor to talk to and how to connect (a picocli mixin shared by
 * every subcommand): {@code -s/--socket ADDR} (a path, {@code unix:PATH}, {@code tcp:HOST:PORT},
 * {@code tcp:[IPV6]:PORT} or {@code tls:HOST:PORT}), the {@code --tls-*} options,
 * {@code --listen ADDR} (QEMU connects to us), {@code --wait}, {@code --connect-timeout} and
 * {@code --no-oob}.
 *
 * <p>Every {@link QmpConnection} the command line builds is built here.
 */
public final class ConnectOptions {
    /** The connection timeout when neither {@code --connect-timeout} nor a command timeout is given. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long {@code --listen} waits for QEMU to connect unless {@code --connect-timeout} says otherwise. */
    static final Duration DEFAULT_LISTEN_TIMEOUT = Duration.ofSeconds(60);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-s", "--socket"}, paramLabel = "ADDR",
            description = "The QMP monitor: PATH or unix:PATH (QEMU's -qmp unix:PATH,server=on,wait=off),"
                    + " tcp:HOST:PORT, tcp:[IPV6]:PORT, or tls:HOST:PORT (TCP with TLS).")
    String socket;

    @Option(names = "--listen", paramLabel = "ADDR",
            description = "Listen on unix:PATH or tcp:HOST:PORT and wait for QEMU to connect"
                    + " (QEMU's -qmp unix:PATH without server=on), instead of --socket.")
    String listen;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep trying for this long while the socket does not exist yet or nobody listens on it"
                    + " (QEMU still starting): 10 (seconds), 10s, 500ms, 2m. Default: one attempt.")
    Duration waitForSocket;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "TLS: the CA certificate(s) (PEM) the monitor's certificate must chain to"
                    + " (QEMU's ca-cert.pem). Default: the JDK's trust store.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "TLS: our client certificate (PEM), for QEMU's verify-peer=on.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "TLS: the client certificate's private key (PEM, PKCS#8). Never printed.")
    Path tlsKey;

    @Option(names = "--tls-name", paramLabel = "NAME",
            description = "TLS: the name the monitor's certificate must carry. Default: the host.")
    String tlsName;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for the socket, QEMU's greeting and capability negotiation:"
                    + " 10 (seconds), 10s, 500ms, 2m. Default: the command's --timeout if it has one, else 5s;"
                    + " with --listen, how long to wait for QEMU to connect (default 60s).")
    Duration connectTimeout;

    @Option(names = "--no-validate", description = "Send commands without checking them against QEMU's schema"
            + " first (by default an unknown command or argument, a missing argument or a wrong type is reported"
            + " without sending anything, exit 3).")
    boolean noValidate;

    @Option(names = "--no-oob", description = "Do not enable QMP's out-of-band capability"
            + " (it is enabled when QEMU offers it).")
    boolean noOob;

    /** Creates the options with their defaults; picocli fills them in. */
    public ConnectOptions() {
    }

    /** Whether a monitor was named, with {@code --socket} or {@code --listen}. */
    public boolean hasMonitor() {
        return socket != null || listen != null;
    }

    /** Whether commands are checked against QEMU's schema before they are sent (default true). */
    public boolean validate() {
        return !noValidate;
    }

    /** Whether out-of-band execution is enabled when QEMU offers it. */
    public boolean oob() {
        return !noOob;
    }

    /**
     * Checks that exactly one of {@code --socket} and {@code --listen} was given.
     *
     * @throws ParameterException (a usage error, exit 2) otherwise
     */
    public void requireSocket() {
        if (socket == null && listen == null) {
            throw usage("Missing required option: '--socket=ADDR' (or --listen=ADDR)");
        }
        if (socket != null && listen != null) {
            throw usage("--socket and --listen are mutually exclusive");
        }
        if (socket != null) {
            target(); // reports a malformed address as a usage error now
        } else {
            listenAddress();
        }
    }

    /** The address given with {@code -s}, parsed, with whether {@code tls:} asked for TLS. */
    private record Target(QmpAddress address, boolean tls) {
    }

    private Target target() {
        try {
            if (socket.startsWith("tls:")) {
                return new Target(QmpAddress.parse("tcp:" + socket.substring(4)), true);
            }
            return new Target(QmpAddress.parse(socket), false);
        } catch (IllegalArgumentException e) {
            throw usage("--socket: " + e.getMessage());
        }
    }

    private QmpAddress listenAddress() {
        try {
            return QmpAddress.parse(listen);
        } catch (IllegalArgumentException e) {
            throw usage("--listen: " + e.getMessage());
        }
    }

    /** The TLS options from {@code --tls-*}, or {@code null} for plain text. */
    QmpTlsOptions tls(boolean asked) {
        boolean any = tlsCa != null || tlsCert != null || tlsKey != null || tlsName != null;
        if (!asked && !any) {
            return null;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together");
        }
        try {
            QmpTlsOptions.Builder b = QmpTlsOptions.builder();
            if (tlsCa != null) {
                b.trustedCertificates(tlsCa);
            }
            if (tlsCert != null) {
                b.clientCertificate(tlsCert, tlsKey);
            }
            if (tlsName != null) {
                b.serverName(tlsName);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }

    /**
     * Connects to the monitor given with {@code -s} (or accepts the QEMU that connects to
     * {@code --listen}) and negotiates capabilities.
     *
     * @param commandTimeout the default reply timeout of the connection; also the connection
     *                       timeout unless {@code --connect-timeout} is given; {@code null} for 5 s
     * @throws ParameterException when no monitor was given, or an option is malformed
     * @throws QmpException       when there is no usable session; nothing is left open then
     */
    public QmpConnection connect(Duration commandTimeout) {
        requireSocket();
        if (listen != null) {
            return accept(commandTimeout);
        }
        Target t = target();
        return connect(t.address(), tls(t.tls()), commandTimeout);
    }

    /**
     * Connects to the UNIX monitor at {@code monitor} (a QEMU the command started itself, for example).
     *
     * @see #connect(Duration)
     */
    public QmpConnection connect(Path monitor, Duration commandTimeout) {
        return connect(QmpAddress.unix(monitor), null, commandTimeout);
    }

    private QmpConnection connect(QmpAddress address, QmpTlsOptions tls, Duration commandTimeout) {
        QmpConnection qmp = configure(QmpConnection.builder(address), commandTimeout).tls(tls).build();
        try {
            qmp.connect();
            return qmp;
        } catch (RuntimeException e) {
            qmp.close();
            throw e;
        }
    }

    private QmpConnection accept(Duration commandTimeout) {
        QmpAddress where = listenAddress();
        Duration wait = connectTimeout != null ? connectTimeout : DEFAULT_LISTEN_TIMEOUT;
        try (QmpListener listener = QmpListener.bind(where, b -> configure(b, commandTimeout))) {
            return listener.accept(wait);
        }
    }

    private QmpConnectionBuilder configure(QmpConnectionBuilder b, Duration commandTimeout) {
        Duration replies = commandTimeout != null ? commandTimeout : DEFAULT_CONNECT_TIMEOUT;
        Duration connecting = connectTimeout != null ? connectTimeout : replies;
        return b.connectTimeout(connecting)
                .commandTimeout(replies)
                .waitForSocket(waitForSocket != null ? waitForSocket : Duration.ZERO)
                .enableOob(oob());
    }
}
