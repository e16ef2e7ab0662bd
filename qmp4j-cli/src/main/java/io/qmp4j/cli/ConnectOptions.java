package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The connection options that {@code exec} and {@code shell} share (a picocli mixin):
 * {@code --timeout} and {@code --no-oob}.
 */
public final class ConnectOptions {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long to wait for the connection and for each reply: 10 (seconds),"
                    + " 10s, 500ms, 2m. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--no-oob", description = "Do not enable QMP's out-of-band capability"
            + " (it is enabled when QEMU offers it).")
    boolean noOob;

    /** Creates the options with their defaults; picocli fills them in. */
    public ConnectOptions() {
    }

    /** The timeout for connecting and for each command. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether out-of-band execution is enabled when QEMU offers it. */
    public boolean oob() {
        return !noOob;
    }

    /**
     * Connects to the monitor at {@code socket} and negotiates capabilities.
     *
     * @throws QmpException when there is no usable session; nothing is left open then
     */
    public QmpConnection connect(Path socket) {
        QmpConnection qmp = QmpConnection.builder(socket)
                .connectTimeout(timeout)
                .commandTimeout(timeout)
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
