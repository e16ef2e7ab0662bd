package io.qmp4j.cli;

import io.qmp4j.cli.ga.GaTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code qmp4j ga -s ADDR ...}: talks to a QEMU guest agent (qemu-ga): agent commands,
 * {@code exec -- PATH ARGS} and {@code cp LOCAL :REMOTE} / {@code cp :REMOTE LOCAL}. The
 * arguments go to {@link GaTool} as given (see {@link GaTool#USAGE_TEXT}); exit codes follow
 * {@link ExitCode}, and {@code exec} exits with the guest program's status.
 */
@Command(name = "ga", description = {"Talk to a QEMU guest agent (qemu-ga): commands, exec, cp.",
    "Run 'qmp4j ga --help' for its usage."})
public final class GaCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    /** Creates the command; picocli hands it every argument after {@code ga}. */
    public GaCommand() {
    }

    /** Runs GaTool, which prints its own usage for {@code --help} or missing arguments. */
    @Override
    public Integer call() {
        return GaTool.run(args, System.in, System.out, System.err, System.console() != null);
    }
}
