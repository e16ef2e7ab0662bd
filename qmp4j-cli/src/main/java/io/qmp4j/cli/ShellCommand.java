package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.qemu.QemuProcessBuilder;
import io.qmp4j.testkit.qemu.QemuStartException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j shell [-s PATH | --spawn [QEMU ARGS]]}: the interactive QMP shell (see
 * {@link ShellSession} for what it accepts and how it ends).
 *
 * <p>At a terminal it uses JLine ({@link JLineConsole}): completion from QEMU's schema, history
 * in {@code ~/.config/qmp4j/history}, coloured output. With stdin not a terminal it runs the
 * lines as a script ({@link PlainConsole}). Without {@code --socket} (or with {@code --spawn})
 * it starts a throw-away QEMU ({@code -machine none} unless told otherwise) with its monitor in a
 * temporary directory, and stops it and deletes the directory when the shell ends, however it
 * ends.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive QMP shell. Without --socket it starts a throw-away QEMU.",
            "Input lines: 'command key=value key2.sub=value' or raw '{\"execute\": ...}'; /help for more.",
            "When stdin is not a terminal there is no prompt and the first error ends the shell."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:end of input, /quit or quit", "2:bad usage or (scripted) a malformed line",
            "3:(scripted) QEMU answered with an error",
            "4:cannot start QEMU or connect, protocol error, timeout or connection lost"})
public final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    ConnectOptions connectOptions;

    @Mixin
    ReplyTimeout replyTimeout;

    @Option(names = "--spawn", arity = "0..*", paramLabel = "QEMU_ARG", parameterConsumer = RestOfLine.class,
            description = "Start a throw-away QEMU with these arguments (everything after --spawn), for example"
                    + " --spawn -machine pc -m 256 -S. Default when no --socket: -machine none.")
    List<String> spawn;

    @Option(names = "--machine", paramLabel = "TYPE", defaultValue = "none",
            description = "The machine type of the QEMU the shell starts, for example pc. Default: ${DEFAULT-VALUE}.")
    String machine;

    @Option(names = "--paused", description = "Start that QEMU with its CPUs stopped (-S).")
    boolean paused;

    @Option(names = "--hmp", description = "Start in HMP mode: lines are human monitor commands (/hmp toggles).")
    boolean hmp;

    @Option(names = "--compact", description = "Print replies on one line instead of indented.")
    boolean compact;

    @Option(names = "--no-color", description = "Never colour output (also when NO_COLOR is set).")
    boolean noColor;

    @Option(names = "--keep-going", description = "In a script, run every line even after a failure;"
            + " the exit code is then the first failure's.")
    boolean keepGoing;

    @Option(names = "--history", paramLabel = "FILE",
            description = "The history file. Default: $XDG_CONFIG_HOME/qmp4j/history or ~/.config/qmp4j/history.")
    Path history;

    /** Creates the command; picocli fills in its options. */
    public ShellCommand() {
    }

    /** Takes every remaining argument, options included, as QEMU arguments. */
    static final class RestOfLine implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> rest = new ArrayList<>();
            while (!args.isEmpty()) {
                rest.add(args.pop());
            }
            argSpec.setValue(rest);
        }
    }

    /** Runs the shell; returns the process exit code. */
    @Override
    public Integer call() {
        if (connectOptions.hasMonitor()) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--machine") || paused || spawn != null) {
                throw new ParameterException(spec.commandLine(), "--spawn, --machine and --paused apply only to"
                        + " the QEMU the shell starts itself, not with --socket or --listen");
            }
            connectOptions.requireSocket();
            return session(null).code();
        }
        return spawned();
    }

    private int spawned() {
        PrintWriter err = spec.commandLine().getErr();
        QemuProcess qemu;
        try {
            qemu = qemuBuilder().start();
        } catch (QemuStartException | IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            err.println(Errors.PREFIX + "cannot start QEMU: " + e.getMessage());
            err.flush();
            return ExitCode.CONNECTION.code();
        }
        try {
            err.println(Errors.PREFIX + "started QEMU " + qemu.binary().version() + " (pid " + qemu.pid() + "): "
                    + String.join(" ", qemu.commandLine()));
            err.flush();
            return session(qemu.qmpSocket()).code();
        } finally {
            qemu.close();
            err.println(Errors.PREFIX + "stopped QEMU (pid " + qemu.pid() + ")");
            err.flush();
        }
    }

    /** The QEMU to start: --machine/--paused, then --spawn's arguments ({@code -machine}/{@code -M}, {@code -S} taken apart). */
    QemuProcessBuilder qemuBuilder() {
        // at a terminal, Ctrl-C sends SIGINT to the whole foreground process group: keep QEMU out of it
        QemuProcessBuilder b = QemuProcess.builder().machine(machine).startPaused(paused)
                .ownSession(System.console() != null);
        List<String> extra = new ArrayList<>();
        List<String> args = spawn == null ? List.of() : spawn;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-machine") || a.equals("-M")) && i + 1 < args.size()) {
                b = b.machine(args.get(++i));
            } else if (a.equals("-S")) {
                b = b.startPaused(true);
            } else {
                extra.add(a);
            }
        }
        return b.extraArgs(extra.toArray(String[]::new));
    }

    /** Runs the shell on {@code monitor}, or on the monitor the options name when it is null. */
    private ExitCode session(Path monitor) {
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = monitor != null ? connectOptions.connect(monitor, replyTimeout.timeout())
                    : connectOptions.connect(replyTimeout.timeout());
        } catch (QmpException e) {
            return Errors.reportConnect(e, err);
        }
        try (qmp; ShellConsole console = console()) {
            SchemaSource schema = new SchemaSource(qmp, replyTimeout.timeout());
            ShellOutput output = new ShellOutput(console, compact);
            ShellSession session = new ShellSession(qmp, console, output, schema, replyTimeout.timeout(),
                    keepGoing, hmp, connectOptions.validate());
            if (console instanceof JLineConsole j) {
                j.completer(new ShellCompletion(schema::forCompletion, session::hmp));
                schema.fetch(); // in the background, for completion
            }
            return session.run();
        }
    }

    /** JLine on a terminal (the one given by tests, or the system's), else plain streams. */
    private ShellConsole console() {
        boolean colors = !noColor && System.getenv("NO_COLOR") == null;
        Terminal terminal = main.terminal();
        if (terminal == null && main.interactive() && main.stdin() == System.in) {
            terminal = systemTerminal();
        }
        if (terminal != null) {
            Path file = history != null ? history
                    : ConfigDir.historyFile(System.getenv(), System.getProperty("user.home"));
            return new JLineConsole(terminal, file, colors);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
        return new PlainConsole(in, spec.commandLine().getOut(), spec.commandLine().getErr(), main.interactive());
    }

    private static Terminal systemTerminal() {
        try {
            Terminal t = TerminalBuilder.builder().system(true).name("qmp4j").build();
            t.handle(Terminal.Signal.INT, Terminal.SignalHandler.SIG_IGN); // Ctrl-C between commands does nothing
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }
}
