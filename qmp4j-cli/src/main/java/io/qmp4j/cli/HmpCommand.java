package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j hmp -s PATH "info status"}: runs one human monitor (HMP) command through QMP's
 * {@code human-monitor-command} and prints its text output as is, with Unix line ends, the way
 * {@code virsh qemu-monitor-command --hmp} does. HMP reports its errors as text, so a failed HMP
 * command still exits 0 unless QMP itself refused it (exit 3).
 */
@Command(name = "hmp", mixinStandardHelpOptions = true,
        description = {"Run one human monitor (HMP) command and print its text output.",
            "Example: qmp4j hmp -s /run/vm.qmp info status"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the command ran (HMP prints its own errors as text)", "2:bad usage",
            "3:QEMU refused human-monitor-command", "4:cannot connect, protocol error, timeout or connection lost"})
public final class HmpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "WORDS",
            description = "The HMP command line, in one argument or several (joined by spaces): info status.")
    List<String> words;

    @Mixin
    ConnectOptions connectOptions;

    @Mixin
    ReplyTimeout replyTimeout;

    /** Creates the command; picocli fills in its options. */
    public HmpCommand() {
    }

    /** Runs the command; returns the process exit code. */
    @Override
    public Integer call() {
        String commandLine = String.join(" ", words).strip();
        if (commandLine.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "the HMP command line must not be blank");
        }
        connectOptions.requireSocket();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(replyTimeout.timeout());
        } catch (QmpException e) {
            return Errors.reportConnect(e, err).code();
        }
        try (qmp) {
            JsonNode text = qmp.execute("human-monitor-command", Map.of("command-line", commandLine));
            out.print(text.asText().replace("\r\n", "\n"));
            out.flush();
            return ExitCode.OK.code();
        } catch (QmpException e) {
            return Errors.report(e, err).code();
        }
    }
}
