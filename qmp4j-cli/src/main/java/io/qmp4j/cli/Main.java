package io.qmp4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code qmp4j} command: {@code shell}, {@code exec}, {@code events}, {@code hmp},
 * {@code schema} and {@code wait}, with {@code --help} and {@code --version}. Exit codes are
 * those of {@link ExitCode}.
 *
 * <p>Tests run it in-process: {@code new CommandLine(new Main(stdin, false)).setOut(out)
 * .setErr(err).execute(args)} returns the exit code and never calls {@link System#exit(int)}.
 */
@Command(name = "qmp4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A client for the QEMU Machine Protocol (QMP).",
        subcommands = {ShellCommand.class, ExecCommand.class, EventsCommand.class, HmpCommand.class,
            SchemaCommand.class, WaitCommand.class, GaCommand.class, CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = 2, exitCodeOnExecutionException = 1,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error (a bug in qmp4j)", "2:bad usage",
            "3:QEMU answered with an error", "4:cannot connect, protocol error, timeout or connection lost",
            "5:(wait, events --count) the awaited events did not arrive in time"})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final InputStream stdin;
    private final Boolean interactive;
    private Terminal terminal;

    /** The command as run from a terminal: reads {@link System#in}; interactive when there is a console. */
    public Main() {
        this(System.in, null);
    }

    /**
     * The command reading {@code stdin}, for tests and embedding.
     *
     * @param stdin       what {@code shell} reads its commands from
     * @param interactive whether {@code shell} prompts and carries on after errors; {@code null} to
     *                    decide by {@link System#console()}
     */
    public Main(InputStream stdin, Boolean interactive) {
        this.stdin = stdin;
        this.interactive = interactive;
    }

    /** Runs {@code qmp4j ARGS...} and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with UTF-8 output on stdout and stderr and one-line internal errors. */
    static CommandLine commandLine() {
        CommandLine cli = configure(new CommandLine(new Main()));
        cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(Errors.PREFIX + "internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return ExitCode.INTERNAL.code();
        });
        return cli;
    }

    /** Parser settings every qmp4j command line needs: everything after {@code ga} is GaTool's, unparsed. */
    static CommandLine configure(CommandLine cli) {
        cli.getSubcommands().get("ga").setStopAtUnmatched(true);
        return cli;
    }

    /** Without a subcommand: prints the usage to stderr and exits with {@link ExitCode#USAGE}. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println(Errors.PREFIX + "a subcommand is required");
        spec.commandLine().usage(err);
        err.flush();
        return ExitCode.USAGE.code();
    }

    /**
     * Makes {@code shell} use JLine on {@code terminal} (for tests driving it in-process);
     * {@code shell} closes it when it ends.
     */
    Main terminal(Terminal terminal) {
        this.terminal = terminal;
        return this;
    }

    /** The terminal given by {@link #terminal(Terminal)}, or null. */
    Terminal terminal() {
        return terminal;
    }

    /** What {@code shell} reads commands from. */
    InputStream stdin() {
        return stdin;
    }

    /** Whether {@code shell} runs interactively: the constructor's choice, else whether a console is attached. */
    boolean interactive() {
        return interactive != null ? interactive : System.console() != null;
    }

    /** Supplies {@code --version}: the version Maven built, from {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"qmp4j " + p.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version")};
        }
    }
}
