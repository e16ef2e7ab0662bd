package io.qmp4j.cli.ga;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpException;
import io.qmp4j.message.QmpJson;
import io.qmp4j.qga.QgaConnection;
import io.qmp4j.qga.QgaExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code qmp4j ga} command, independent of any CLI framework: {@link #run} takes the
 * arguments after {@code ga} and the three standard streams, and returns the exit status.
 *
 * <pre>
 * qmp4j ga -s ADDR [--timeout 5s] [--pretty] COMMAND [ARGUMENTS_JSON]
 * qmp4j ga -s ADDR [--timeout 60s] exec [-e NAME=VALUE]... [--stdin] [--] PATH [ARG...]
 * qmp4j ga -s ADDR cp [--progress | --no-progress] LOCAL :REMOTE
 * qmp4j ga -s ADDR cp [--progress | --no-progress] :REMOTE LOCAL
 * </pre>
 *
 * <p>{@code ADDR} is the agent channel's UNIX socket ({@code PATH} or {@code unix:PATH}) or
 * {@code tcp:HOST:PORT}. {@code COMMAND} is an agent command; the {@code guest-} prefix may be
 * left out ({@code ping}, {@code get-osinfo}). Its {@code return} value is printed as JSON.
 * {@code exec} writes the program's stdout and stderr to ours and exits with its status
 * (128 + N when killed by signal N), like {@code ssh}. {@code cp} copies in 1 MiB chunks, with a
 * progress bar on stderr when stderr is a terminal (or {@code --progress}).
 *
 * <p>Exit statuses otherwise: 0 success, 2 bad usage or a local file that cannot be read or
 * written, 3 the agent answered with an error ({@code CLASS: desc} on stderr), 4 cannot connect,
 * timeout, protocol error or connection lost.
 */
public final class GaTool {
    /** Success. */
    public static final int OK = 0;
    /** Bad usage, or a local file that cannot be read or written. */
    public static final int USAGE = 2;
    /** The agent answered with an error. */
    public static final int AGENT_ERROR = 3;
    /** No usable agent session: connect failure, timeout, protocol error, connection lost. */
    public static final int CONNECTION = 4;

    /** The usage text printed by {@code --help} and after usage errors. */
    public static final String USAGE_TEXT = String.join("\n",
            "Usage: qmp4j ga -s ADDR [--timeout DURATION] [--pretty] COMMAND [ARGUMENTS_JSON]",
            "       qmp4j ga -s ADDR [--timeout DURATION] exec [-e NAME=VALUE]... [--stdin] [--] PATH [ARG...]",
            "       qmp4j ga -s ADDR cp [--progress|--no-progress] LOCAL :REMOTE",
            "       qmp4j ga -s ADDR cp [--progress|--no-progress] :REMOTE LOCAL",
            "Talk to a QEMU guest agent (qemu-ga) through its channel on the host.",
            "  -s, --socket ADDR   the agent channel: PATH, unix:PATH or tcp:HOST:PORT",
            "      --timeout D     per command (default 5s); for exec, how long the program may run (default 60s)",
            "      --pretty        print JSON results indented",
            "  COMMAND             an agent command, 'guest-' optional: ping, info, get-osinfo, get-time, ...",
            "Exit: 0 ok, 2 usage or local file error, 3 agent error, 4 connection/timeout; exec: the program's status.");

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    private GaTool(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Runs {@code qmp4j ga ARGS} on the process's own streams and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.in, System.out, System.err, System.console() != null));
    }

    /**
     * Runs the command.
     *
     * @param args     the arguments after {@code ga}
     * @param terminal whether stderr is a terminal (shows the progress bar of {@code cp} by default)
     * @return the exit status
     */
    public static int run(List<String> args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        GaTool tool = new GaTool(in, out, err, terminal);
        try {
            return tool.dispatch(new ArrayList<>(args));
        } catch (UsageException e) {
            err.println("qmp4j ga: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
    }

    private int dispatch(List<String> args) {
        String socket = null;
        Duration timeout = null;
        boolean pretty = false;
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String option = args.remove(0);
            switch (option) {
                case "-s", "--socket" -> socket = value(option, args);
                case "--timeout" -> timeout = parseDuration(value(option, args));
                case "--pretty" -> pretty = true;
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (socket == null) {
            throw new UsageException("the agent channel is required: -s PATH");
        }
        if (args.isEmpty()) {
            throw new UsageException("COMMAND is required (for example: ping)");
        }
        QmpAddress address;
        try {
            address = QmpAddress.parse(socket);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String command = args.remove(0);
        return switch (command) {
            case "exec" -> exec(address, timeout, args);
            case "cp" -> copy(address, timeout, args);
            default -> execute(address, timeout, pretty, command, args);
        };
    }

    private int execute(QmpAddress address, Duration timeout, boolean pretty, String command, List<String> args) {
        if (args.size() > 1) {
            throw new UsageException("unexpected arguments after ARGUMENTS_JSON: " + args.subList(1, args.size()));
        }
        JsonNode arguments = args.isEmpty() ? null : parseObject(args.get(0));
        String name = command.startsWith("guest-") ? command : "guest-" + command;
        return withConnection(address, timeout, null, ga -> {
            JsonNode result = ga.execute(name, arguments);
            out.println(pretty ? result.toPrettyString() : result.toString());
            return OK;
        });
    }

    private int exec(QmpAddress address, Duration timeout, List<String> args) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean stdin = false;
        while (!args.isEmpty() && args.get(0).startsWith("-")) {
            String option = args.remove(0);
            if (option.equals("--")) {
                break;
            }
            switch (option) {
                case "-e", "--env" -> {
                    String pair = value(option, args);
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException(option + " needs NAME=VALUE, got '" + pair + "'");
                    }
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                case "--stdin" -> stdin = true;
                default -> throw new UsageException("unknown exec option " + option);
            }
        }
        if (args.isEmpty()) {
            throw new UsageException("exec needs the program's PATH, for example: exec -- /bin/uname -a");
        }
        byte[] input = stdin ? readAll(in) : null;
        String path = args.get(0);
        List<String> programArgs = List.copyOf(args.subList(1, args.size()));
        Duration runFor = timeout != null ? timeout : Duration.ofSeconds(60);
        return withConnection(address, null, null, ga -> {
            QgaExecResult r = ga.exec(path, programArgs, env, input, runFor);
            out.write(r.stdout());
            out.flush();
            err.write(r.stderr());
            if (r.stdoutTruncated() || r.stderrTruncated()) {
                err.println("qmp4j ga: the agent truncated the program's output");
            }
            err.flush();
            return r.exitCode().isPresent() ? r.exitCode().getAsInt() : 128 + r.signal().orElse(0);
        });
    }

    private int copy(QmpAddress address, Duration timeout, List<String> args) {
        Boolean progress = null;
        while (!args.isEmpty() && args.get(0).startsWith("--")) {
            String option = args.remove(0);
            switch (option) {
                case "--progress" -> progress = true;
                case "--no-progress" -> progress = false;
                default -> throw new UsageException("unknown cp option " + option);
            }
        }
        if (args.size() != 2 || args.get(0).startsWith(":") == args.get(1).startsWith(":")) {
            throw new UsageException("cp needs LOCAL :REMOTE or :REMOTE LOCAL (the guest path starts with ':')");
        }
        boolean toGuest = args.get(1).startsWith(":");
        String remote = (toGuest ? args.get(1) : args.get(0)).substring(1);
        Path local = Path.of(toGuest ? args.get(0) : args.get(1));
        if (remote.isEmpty()) {
            throw new UsageException("the guest path after ':' is empty");
        }
        ProgressBar bar = Boolean.TRUE.equals(progress) || (progress == null && terminal) ? new ProgressBar(err) : null;
        return withConnection(address, timeout, local, ga -> {
            long start = System.nanoTime();
            long bytes = toGuest ? ga.copyToGuest(local, remote, bar == null ? null : bar::update)
                    : ga.copyFromGuest(remote, local, bar == null ? null : bar::update);
            if (bar != null) {
                bar.finish(bytes, Duration.ofNanos(System.nanoTime() - start));
            }
            return OK;
        });
    }

    /** One action on a connected agent. */
    private interface Action {
        int run(QgaConnection ga) throws IOException;
    }

    private int withConnection(QmpAddress address, Duration timeout, Path local, Action action) {
        var builder = QgaConnection.builder(address);
        if (timeout != null) {
            builder.commandTimeout(timeout);
        }
        try (QgaConnection ga = builder.build()) {
            ga.connect();
            return action.run(ga);
        } catch (QmpCommandException e) {
            err.println(e.errorClass() + ": " + e.description());
            return AGENT_ERROR;
        } catch (QmpException e) {
            err.println("qmp4j ga: " + e.getMessage());
            return CONNECTION;
        } catch (IOException e) {
            err.println("qmp4j ga: " + (local != null ? local + ": " : "") + e);
            return USAGE;
        }
    }

    private static String value(String option, List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException(option + " needs a value");
        }
        return args.remove(0);
    }

    private static JsonNode parseObject(String json) {
        try {
            JsonNode node = QmpJson.mapper().readTree(json);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            throw new UsageException("ARGUMENTS_JSON is not valid JSON: " + json);
        }
        throw new UsageException("ARGUMENTS_JSON must be a JSON object like '{\"key\":\"value\"}', got: " + json);
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UsageException("'" + text + "' is not a duration: use 10 (seconds), 10s, 500ms or 2m");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long millis = Math.round(amount * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            default -> 1_000;
        });
        if (millis <= 0) {
            throw new UsageException("'" + text + "' is not a positive duration");
        }
        return Duration.ofMillis(millis);
    }

    private byte[] readAll(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UsageException("cannot read stdin: " + e.getMessage());
        }
    }

    /** Bad usage: reported with the usage text and exit status 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
