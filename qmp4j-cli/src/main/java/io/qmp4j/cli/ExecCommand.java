package io.qmp4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.message.QmpJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j exec --socket PATH COMMAND [ARGUMENTS_JSON]}: connects to a QEMU monitor, runs one
 * command and prints its {@code return} value as JSON on stdout, compact on one line unless
 * {@code --pretty} is given; {@code --raw} prints the whole reply message instead. Exit codes: 0 success, 2 bad usage, 3 QMP error (printed as
 * {@code CLASS: desc}), 4 no usable session.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run one QMP command and print its return value as JSON.",
            "Example: qmp4j exec -s /run/vm.qmp human-monitor-command '{\"command-line\":\"info status\"}'"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the command succeeded", "2:bad usage", "3:QEMU answered with an error",
            "4:cannot connect, protocol error, timeout or connection lost"})
public final class ExecCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "The QMP command, for example query-status.")
    String command;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ARGUMENTS_JSON",
            description = "The command's arguments as a JSON object, for example '{\"device\":\"nic1\"}'.")
    String argumentsJson;

    @Option(names = "--pretty", description = "Print the result indented on several lines.")
    boolean pretty;

    @Option(names = "--raw", description = "Print the whole reply message, {\"return\": ...} or"
            + " {\"error\": {\"class\": ..., \"desc\": ...}} (also on stdout, still exit 3), instead of the return value.")
    boolean raw;

    @Mixin
    ConnectOptions connectOptions;

    @Mixin
    ReplyTimeout replyTimeout;

    /** Creates the command; picocli fills in its options. */
    public ExecCommand() {
    }

    /** Runs the command; returns the process exit code. */
    @Override
    public Integer call() {
        if (command.isBlank()) {
            throw new ParameterException(spec.commandLine(), "COMMAND must not be blank");
        }
        connectOptions.requireSocket();
        JsonNode arguments = parseArguments();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(replyTimeout.timeout());
        } catch (QmpException e) {
            return Errors.reportConnect(e, err).code();
        }
        try (qmp) {
            new Validator(qmp, connectOptions.validate()).check(command, arguments);
            JsonNode result = qmp.execute(command, arguments, replyTimeout.timeout());
            print(out, raw ? QmpJson.mapper().createObjectNode().set("return", result) : result);
            return ExitCode.OK.code();
        } catch (QmpCommandException e) {
            if (!raw) {
                return Errors.report(e, err).code();
            }
            ObjectNode error = QmpJson.mapper().createObjectNode();
            error.putObject("error").put("class", e.errorClass()).put("desc", e.description());
            print(out, error);
            return ExitCode.QMP_ERROR.code();
        } catch (QmpException e) {
            return Errors.report(e, err).code();
        }
    }

    private void print(PrintWriter out, JsonNode json) {
        out.println(pretty ? JsonText.pretty(json) : JsonText.compact(json));
        out.flush();
    }

    /** The ARGUMENTS_JSON object, or null when absent; a usage error when it is not an object. */
    private JsonNode parseArguments() {
        if (argumentsJson == null) {
            return null;
        }
        JsonNode json;
        try {
            json = QmpJson.mapper().readTree(argumentsJson);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(),
                    "ARGUMENTS_JSON is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new ParameterException(spec.commandLine(), "ARGUMENTS_JSON must be a JSON object like"
                    + " '{\"key\":\"value\"}', got: " + argumentsJson);
        }
        return json;
    }
}
