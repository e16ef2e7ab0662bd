package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.message.QmpEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j wait -s PATH EVENT... [--where key=value]... [--timeout T]}: connects, then blocks
 * until an event with one of the names (and data matching every {@code --where}) arrives, prints
 * it as one line of JSON and exits 0; exits 5 when {@code --timeout} passes first. For shell
 * scripts: {@code qmp4j wait -s vm.qmp DEVICE_DELETED --where device=nic1 --timeout 30s}.
 * Events sent before the connection was made are not seen.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait for an event; print it as JSON and exit 0, or exit 5 on timeout.",
            "Example: qmp4j wait -s /run/vm.qmp DEVICE_DELETED --where device=nic1 --timeout 30s"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the event arrived", "2:bad usage",
            "4:cannot connect, protocol error, or QEMU closed the connection first",
            "5:the timeout passed first"})
public final class WaitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "EVENT", description = "The event name(s) to wait for, e.g. SHUTDOWN.")
    List<String> events;

    @Option(names = "--where", paramLabel = "KEY=VALUE",
            description = "Only an event whose data has this value at this (dotted) key; repeatable, all must match.")
    List<String> where = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long with exit 5: 10 (seconds), 10s, 500ms, 2m."
                    + " Default: 24h, the longest accepted.")
    Duration timeout;

    @Mixin
    ConnectOptions connectOptions;

    /** Creates the command; picocli fills in its options. */
    public WaitCommand() {
    }

    /** Runs the command; returns the process exit code. */
    @Override
    public Integer call() {
        EventFilter filter = filter();
        connectOptions.requireSocket();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(null);
        } catch (QmpException e) {
            return Errors.reportConnect(e, err).code();
        }
        try (qmp) {
            QmpEvent event = qmp.awaitEvent(filter, waitFor());
            out.println(JsonText.compact(event.json()));
            out.flush();
            return ExitCode.OK.code();
        } catch (QmpTimeoutException e) {
            err.println(Errors.PREFIX + "timeout: no " + description() + " within " + waitFor().toMillis() + " ms");
            err.flush();
            return ExitCode.TIMEOUT_WAITING.code();
        } catch (QmpConnectionClosedException e) {
            err.println(Errors.PREFIX + "QEMU closed the connection before " + description() + " arrived");
            err.flush();
            return ExitCode.CONNECTION.code();
        } catch (QmpException e) {
            return Errors.report(e, err).code();
        }
    }

    private Duration waitFor() {
        return timeout != null ? timeout : DurationConverter.MAX;
    }

    /** For example {@code DEVICE_DELETED where device=nic1}. */
    private String description() {
        return String.join("|", events) + (where.isEmpty() ? "" : " where " + String.join(" and ", where));
    }

    private EventFilter filter() {
        EventFilter filter;
        try {
            filter = EventFilter.named(events.toArray(String[]::new));
            for (String condition : where) {
                filter = filter.where(DataCondition.parse(condition));
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return filter;
    }
}
