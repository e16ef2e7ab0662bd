package io.qmp4j.cli;

import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.testkit.qemu.QemuProcess;
import io.qmp4j.testkit.qemu.QemuStartException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code qmp4j shell [--socket PATH]}: an interactive, line-based QMP shell (see
 * {@link ShellSession} for what it accepts and how it ends).
 *
 * <p>Without {@code --socket} it starts a throw-away QEMU ({@code -machine none}, or the
 * {@code --machine} and {@code --paused} given) with its monitor in a temporary directory, says
 * which QEMU it started, and stops it and deletes the directory when the shell ends, however it
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

    @Option(names = {"-s", "--socket"}, paramLabel = "PATH",
            description = "The QMP monitor's UNIX socket. Default: start a throw-away QEMU.")
    Path socket;

    @Option(names = "--machine", paramLabel = "TYPE", defaultValue = "none",
            description = "The machine type of the QEMU the shell starts, for example pc. Default: ${DEFAULT-VALUE}.")
    String machine;

    @Option(names = "--paused", description = "Start that QEMU with its CPUs stopped (-S).")
    boolean paused;

    @Mixin
    ConnectOptions connectOptions;

    /** Creates the command; picocli fills in its options. */
    public ShellCommand() {
    }

    /** Runs the shell; returns the process exit code. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (socket != null) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--machine") || paused) {
                throw new ParameterException(spec.commandLine(),
                        "--machine and --paused apply only to the QEMU the shell starts itself, not with --socket");
            }
            return session(socket).code();
        }
        QemuProcess qemu;
        try {
            qemu = QemuProcess.builder().machine(machine).startPaused(paused).start();
        } catch (QemuStartException | IllegalStateException e) {
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

    private ExitCode session(Path monitor) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QmpConnection qmp;
        try {
            qmp = connectOptions.connect(monitor);
        } catch (QmpException e) {
            return Errors.reportConnect(e, err);
        }
        boolean interactive = main.interactive();
        BufferedReader in = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
        try (qmp) {
            return new ShellSession(qmp, in, new ShellOutput(out, err, interactive), interactive,
                    connectOptions.timeout()).run();
        }
    }
}
