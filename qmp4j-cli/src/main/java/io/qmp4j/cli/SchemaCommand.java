package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j schema -s PATH [NAME]}: what QEMU's {@code query-qmp-schema} says, readable.
 * Without NAME it lists the commands QEMU accepts and the events it may send, one
 * {@code command NAME} or {@code event NAME} per line; with NAME it describes that command
 * (arguments with types, optional ones marked, union variants; what it returns), event (its
 * data) or type (QEMU masks type names as numbers, which the descriptions show).
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Describe QEMU's commands, events and types from its schema.",
            "Example: qmp4j schema -s /run/vm.qmp blockdev-add"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "2:bad usage, or QEMU has nothing by that name", "3:QEMU answered with an error",
            "4:cannot connect, protocol error, timeout or connection lost"})
public final class SchemaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "A command (blockdev-add), an event (DEVICE_DELETED) or a type (int, or a number).")
    String name;

    @Option(names = "--json", description = "Print QEMU's own JSON: the entity, or the whole schema without NAME.")
    boolean json;

    @Mixin
    ConnectOptions connectOptions;

    @Mixin
    ReplyTimeout replyTimeout;

    /** Creates the command; picocli fills in its options. */
    public SchemaCommand() {
    }

    /** Runs the command; returns the process exit code. */
    @Override
    public Integer call() {
        connectOptions.requireSocket();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(replyTimeout.timeout());
        } catch (QmpException e) {
            return Errors.reportConnect(e, err).code();
        }
        RawSchemaHints schema;
        JsonNode raw;
        try (qmp) {
            raw = qmp.execute("query-qmp-schema", null, replyTimeout.timeout());
            schema = RawSchemaHints.of(raw, qmp.execute("query-commands", null, replyTimeout.timeout()));
        } catch (QmpException e) {
            return Errors.report(e, err).code();
        }
        if (name == null) {
            if (json) {
                out.println(JsonText.compact(raw));
            } else {
                schema.commands().forEach(c -> out.println("command " + c));
                schema.events().forEach(e -> out.println("event " + e));
            }
            out.flush();
            return ExitCode.OK.code();
        }
        Optional<String> text = json ? find(raw, name).map(JsonText::pretty) : schema.describe(name);
        if (text.isEmpty()) {
            err.println(Errors.PREFIX + "QEMU has no command, event or type named " + name
                    + " (qmp4j schema -s PATH lists them)");
            err.flush();
            return ExitCode.USAGE.code();
        }
        out.println(text.get());
        out.flush();
        return ExitCode.OK.code();
    }

    private static Optional<JsonNode> find(JsonNode schema, String name) {
        for (JsonNode e : schema) {
            if (name.equals(e.path("name").asText())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
