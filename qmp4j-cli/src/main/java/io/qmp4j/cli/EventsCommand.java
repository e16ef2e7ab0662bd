package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpEventOverflowException;
import io.qmp4j.QmpException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j events -s PATH [--filter NAME...] [--follow | --count N] [--timeout T]}: prints
 * QEMU's events as they arrive, one JSON object per line (for {@code jq}), like
 * {@code virsh qemu-monitor-event}. It stops after one event, or {@code --count N}; with
 * {@code --follow} it goes on until QEMU closes the monitor or {@code --timeout} passes.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Print QEMU's events as JSON lines.",
            "Example: qmp4j events -s /run/vm.qmp --follow --filter STOP,RESUME | jq -c .data"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the events were printed (with --follow: QEMU quit or --timeout passed)", "2:bad usage",
            "4:cannot connect, or QEMU closed the connection before --count events",
            "5:--timeout passed before --count events arrived"})
public final class EventsCommand implements Callable<Integer> {
    /** How many events may wait to be written before the command stops rather than lose one. */
    static final int BUFFER = 65_536;

    @Spec
    CommandSpec spec;

    @Option(names = "--filter", split = ",", paramLabel = "NAME",
            description = "Only events with these names (comma-separated or repeated), e.g. --filter STOP,RESUME.")
    List<String> names = new ArrayList<>();

    @Option(names = "--follow", description = "Keep printing until QEMU closes the monitor or --timeout passes.")
    boolean follow;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events. Default: 1 (without --follow).")
    Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long: 10 (seconds), 10s, 500ms, 2m. Default: 24h, the longest accepted.")
    Duration timeout;

    @Mixin
    ConnectOptions connectOptions;

    /** Creates the command; picocli fills in its options. */
    public EventsCommand() {
    }

    /** Runs the command; returns the process exit code. */
    @Override
    public Integer call() {
        if (follow && count != null) {
            throw new ParameterException(spec.commandLine(), "--follow and --count exclude each other");
        }
        if (count != null && count <= 0) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
        }
        EventFilter filter;
        try {
            filter = names.isEmpty() ? EventFilter.any() : EventFilter.named(names.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        connectOptions.requireSocket();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(null);
        } catch (QmpException e) {
            return Errors.reportConnect(e, err).code();
        }
        try (qmp; EventSubscription events = qmp.subscribe(filter, BUFFER, OverflowPolicy.FAIL)) {
            return print(events).code();
        }
    }

    private ExitCode print(EventSubscription events) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int wanted = follow ? Integer.MAX_VALUE : count == null ? 1 : count;
        Duration limit = timeout != null ? timeout : DurationConverter.MAX;
        long deadline = System.nanoTime() + limit.toNanos();
        int printed = 0;
        while (printed < wanted) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (follow) {
                    return ExitCode.OK;
                }
                err.println(Errors.PREFIX + "timeout: " + printed + " of " + wanted + " events within "
                        + limit.toMillis() + " ms");
                err.flush();
                return ExitCode.TIMEOUT_WAITING;
            }
            Optional<QmpEvent> next;
            try {
                next = events.poll(Duration.ofNanos(left));
            } catch (QmpConnectionClosedException e) {
                err.println(Errors.PREFIX + "QEMU closed the connection" + (follow ? "" : " after " + printed
                        + " of " + wanted + " events"));
                err.flush();
                return follow ? ExitCode.OK : ExitCode.CONNECTION;
            } catch (QmpEventOverflowException e) {
                err.println(Errors.PREFIX + "more than " + BUFFER + " events waited to be written; stopped"
                        + " rather than lose any (is stdout blocked?)");
                err.flush();
                return ExitCode.CONNECTION;
            }
            if (next.isPresent()) {
                out.println(JsonText.compact(next.get().json()));
                out.flush();
                printed++;
            }
        }
        return ExitCode.OK;
    }
}
