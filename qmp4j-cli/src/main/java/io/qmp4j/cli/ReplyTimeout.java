package io.qmp4j.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The {@code --timeout} option of the commands that send commands and wait for replies
 * ({@code exec}, {@code shell}, {@code hmp}, {@code schema}): a picocli mixin.
 */
public final class ReplyTimeout {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How long to wait for each reply (and for the connection unless --connect-timeout"
                    + " is given): 10 (seconds), 10s, 500ms, 2m. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    /** Creates the option with its default; picocli fills it in. */
    public ReplyTimeout() {
    }

    /** How long to wait for each reply. */
    public Duration timeout() {
        return timeout;
    }
}
