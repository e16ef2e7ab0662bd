package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpJson;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The read-execute-print loop of {@code qmp4j shell} over one connected monitor.
 *
 * <p>Interactive (a person typing): prompts, reports errors and carries on; Ctrl-C cancels the
 * line or the command being waited for. Scripted (stdin is not a terminal): no prompt, and the
 * first failure ends the session with its exit code (2 for a line that cannot be parsed, 3 for a
 * QMP error, 4 for a timeout or a lost connection), unless {@code --keep-going}, which runs every
 * line and exits with the first failure's code. The end of input ends the session; so does
 * {@code quit}, once QEMU has closed the monitor.
 */
final class ShellSession {
    static final String HELP = String.join("\n",
            "Type a QMP command in one of two forms:",
            "  command key=value key2.sub=value   values are JSON when they parse as JSON, else strings;",
            "                                     dotted keys build nested objects",
            "  {\"execute\": \"command\", \"arguments\": {...}}   raw QMP (an \"id\" member is ignored)",
            "Tab completes command names, argument names and enum values. Blank lines and # comments are skipped.",
            "Examples:",
            "  query-status",
            "  human-monitor-command command-line='info registers'",
            "  device_add driver=virtio-net-pci id=nic1",
            "Built-ins:",
            "  /help [NAME]                  this text, or a command's, event's or type's arguments and types",
            "  /events [on|off]              print asynchronous events (on by default)",
            "  /events filter [NAME...]      print only these events (no names: all again)",
            "  /hmp [on|off]                 send lines as HMP (human monitor) commands; toggles without argument",
            "  /id                           which QEMU this is: version, socket, VM name and status",
            "  /quit                         leave the shell (so does Ctrl-D on an empty line)",
            "Ctrl-C cancels the line being typed or the command being waited for; Ctrl-R searches history.");

    private final QmpConnection qmp;
    private final ShellConsole console;
    private final ShellOutput output;
    private final Duration timeout;
    private final boolean keepGoing;
    private final SchemaSource schema;
    private volatile boolean hmp;
    /** Set when the session ends or {@code quit} is sent: QEMU closing the monitor is then no news. */
    private volatile boolean closeExpected;

    /**
     * What one line leads to: carry on, or leave the loop, with the exit code a script would get.
     *
     * @param code  {@link ExitCode#OK}, or the failure's exit code
     * @param leave whether to end the session now whatever the mode
     */
    private record Step(ExitCode code, boolean leave) {
        static final Step CONTINUE = new Step(ExitCode.OK, false);
        static final Step QUIT = new Step(ExitCode.OK, true);

        static Step failed(ExitCode code) {
            return new Step(code, false);
        }
    }

    private final Validator validator;

    ShellSession(QmpConnection qmp, ShellConsole console, ShellOutput output, SchemaSource schema,
            Duration timeout, boolean keepGoing, boolean hmp, boolean validate) {
        this.qmp = qmp;
        this.validator = new Validator(qmp, validate);
        this.console = console;
        this.output = output;
        this.schema = schema;
        this.timeout = timeout;
        this.keepGoing = keepGoing;
        this.hmp = hmp;
    }

    /** Whether lines are sent as HMP commands; the completer asks from JLine's thread. */
    boolean hmp() {
        return hmp;
    }

    /** Caller thread: runs the loop until the input ends, {@code /quit}, or a failure that ends it. */
    ExitCode run() {
        printGreeting();
        EventSubscription queue = qmp.subscribe(EventFilter.any());
        output.attach(queue);
        // The listener only says "events arrived": they are taken from the queue under the output's
        // lock, so one that came before a reply is printed before it, whichever thread gets there first.
        EventSubscription wakeUp = qmp.onEvent(EventFilter.any(), e -> output.flushEvents());
        qmp.closeFuture().thenRunAsync(() -> { // completes on an I/O thread, which must not wait for our lock
            if (console.interactive() && !closeExpected) {
                output.info(Errors.PREFIX + "QEMU closed the connection");
            }
        });
        try {
            return loop();
        } finally {
            closeExpected = true;
            wakeUp.close();
            output.flushEvents();
            queue.close();
        }
    }

    private void printGreeting() {
        QmpGreeting g = qmp.greeting();
        String offered = g.capabilities().isEmpty() ? "none" : String.join(", ", g.capabilities());
        String enabled = qmp.capabilities().isEmpty() ? "none" : String.join(", ", qmp.capabilities());
        output.info("Connected to QEMU " + g.version() + " at " + qmp.address()
                + "; capabilities offered: " + offered + ", enabled: " + enabled);
        if (console.interactive()) {
            output.info("Type a command (query-status, or {\"execute\": ...}); Tab completes; /help for help,"
                    + " /quit or Ctrl-D to leave." + (hmp ? " HMP mode: lines go to the human monitor." : ""));
        }
    }

    private ExitCode loop() {
        ExitCode firstFailure = ExitCode.OK;
        while (true) {
            if (connectionLost()) {
                return ExitCode.CONNECTION;
            }
            ShellConsole.Input input = console.readLine(hmp ? ShellOutput.HMP_PROMPT : ShellOutput.PROMPT);
            if (input.cancelled()) {
                continue;
            }
            if (input.endOfInput()) {
                return firstFailure;
            }
            String text = input.line().strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (connectionLost()) { // QEMU may have gone while we waited for input
                return ExitCode.CONNECTION;
            }
            Step step = text.startsWith("/") ? builtin(text) : hmp ? humanMonitor(text) : execute(text);
            if (step.leave()) {
                return step.code() == ExitCode.OK ? firstFailure : step.code();
            }
            if (step.code() != ExitCode.OK && !console.interactive()) {
                if (!keepGoing) {
                    return step.code();
                }
                firstFailure = firstFailure == ExitCode.OK ? step.code() : firstFailure;
            }
        }
    }

    private boolean connectionLost() {
        if (qmp.state() == ConnectionState.RUNNING) {
            return false;
        }
        output.error(Errors.PREFIX + "the connection to QEMU is closed");
        return true;
    }

    private Step builtin(String text) {
        String[] words = text.split("\\s+");
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "/help":
                return help(words);
            case "/quit":
            case "/exit":
                return Step.QUIT;
            case "/events":
                return events(words);
            case "/hmp":
                return hmpMode(words);
            case "/id":
                return identify();
            default:
                output.error(Errors.PREFIX + "unknown built-in " + words[0] + "; try /help");
                return Step.failed(ExitCode.USAGE);
        }
    }

    private Step help(String[] words) {
        if (words.length == 1) {
            output.text(HELP);
            return Step.CONTINUE;
        }
        if (words.length > 2) {
            output.error(Errors.PREFIX + "usage: /help [COMMAND|EVENT|TYPE]");
            return Step.failed(ExitCode.USAGE);
        }
        SchemaHints hints;
        try {
            hints = schema.await();
        } catch (QmpException e) {
            return failure(e);
        }
        return hints.describe(words[1]).map(d -> {
            output.text(d);
            return Step.CONTINUE;
        }).orElseGet(() -> {
            output.error(Errors.PREFIX + "QEMU has no command, event or type named " + words[1]);
            return Step.failed(ExitCode.USAGE);
        });
    }

    private Step events(String[] words) {
        if (words.length == 1) {
            output.text(output.eventStatus());
            return Step.CONTINUE;
        }
        if (words.length == 2 && (words[1].equals("on") || words[1].equals("off"))) {
            output.showEvents(words[1].equals("on"));
            return Step.CONTINUE;
        }
        if (words[1].equals("filter")) {
            output.eventFilter(new LinkedHashSet<>(Arrays.asList(words).subList(2, words.length)));
            output.text(output.eventStatus());
            return Step.CONTINUE;
        }
        output.error(Errors.PREFIX + "usage: /events [on|off] or /events filter [NAME...]");
        return Step.failed(ExitCode.USAGE);
    }

    private Step hmpMode(String[] words) {
        if (words.length == 1 || words.length == 2 && (words[1].equals("on") || words[1].equals("off"))) {
            hmp = words.length == 1 ? !hmp : words[1].equals("on");
            output.text(hmp ? "HMP mode: lines are human monitor commands (try: info status, help); /hmp to leave"
                    : "QMP mode");
            return Step.CONTINUE;
        }
        output.error(Errors.PREFIX + "usage: /hmp [on|off]");
        return Step.failed(ExitCode.USAGE);
    }

    private Step identify() {
        try {
            JsonNode name = qmp.execute("query-name", null, timeout);
            JsonNode status = qmp.execute("query-status", null, timeout);
            output.text(String.join("\n",
                    "QEMU " + qmp.greeting().version() + " at " + qmp.address(),
                    "capabilities: " + (qmp.capabilities().isEmpty() ? "none" : String.join(", ", qmp.capabilities())),
                    "name: " + name.path("name").asText("(none)"),
                    "status: " + status.path("status").asText()));
            return Step.CONTINUE;
        } catch (QmpException e) {
            return failure(e);
        }
    }

    private Step humanMonitor(String line) {
        ObjectNode arguments = QmpJson.mapper().createObjectNode().put("command-line", line);
        return call("human-monitor-command", arguments, result -> output.hmpText(result.asText()));
    }

    private Step execute(String text) {
        RequestParser.Request request;
        try {
            request = RequestParser.parse(text);
        } catch (IllegalArgumentException e) {
            output.error(Errors.PREFIX + e.getMessage());
            return Step.failed(ExitCode.USAGE);
        }
        boolean quit = request.command().equals("quit");
        closeExpected = quit;
        Step step = call(request.command(), request.arguments(), output::reply);
        if (step.code() != ExitCode.OK || step.leave()) {
            closeExpected = false;
            return step;
        }
        return quit ? awaitQuit() : step;
    }

    /** Sends a command and waits for its reply; Ctrl-C stops the wait (the reply is then discarded). */
    private Step call(String command, JsonNode arguments, Consumer<JsonNode> onReply) {
        CompletableFuture<JsonNode> reply;
        try {
            validator.check(command, arguments);
            reply = qmp.executeAsync(command, arguments, timeout);
        } catch (QmpException e) {
            return failure(e);
        }
        try (ShellConsole.Interrupts cancel = console.onInterrupt(() -> reply.cancel(false))) {
            onReply.accept(reply.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
            return Step.CONTINUE;
        } catch (CancellationException e) {
            output.error(Errors.PREFIX + "cancelled " + command
                    + "; QEMU may still run it (its reply will be discarded)");
            return Step.CONTINUE; // only a person at a terminal can press Ctrl-C
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply.cancel(false);
            output.error(Errors.PREFIX + "interrupted while waiting for " + command);
            return new Step(ExitCode.INTERNAL, true);
        } catch (TimeoutException e) {
            reply.cancel(false);
            return failure(new QmpTimeoutException(command, timeout, true));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                return failure(q);
            }
            throw new IllegalStateException("unexpected failure of " + command, e.getCause());
        }
    }

    private Step failure(QmpException e) {
        if (e instanceof io.qmp4j.QmpValidationException) {
            output.error(Errors.PREFIX + e.getMessage() + " (nothing was sent; /help COMMAND shows its arguments)");
            return Step.failed(ExitCode.QMP_ERROR);
        }
        if (e instanceof QmpCommandException c) {
            output.error(c.errorClass() + ": " + c.description());
            return Step.failed(ExitCode.QMP_ERROR);
        }
        // timeout, protocol error, connection lost: the session may or may not be usable
        output.error(Errors.PREFIX + Errors.describe(e));
        return new Step(ExitCode.CONNECTION, qmp.state() != ConnectionState.RUNNING);
    }

    /** After {@code quit} succeeded: waits for QEMU to close the monitor, then leaves. */
    private Step awaitQuit() {
        try {
            qmp.closeFuture().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // QEMU did not close in time; leave anyway, the command succeeded
        }
        output.flushEvents();
        output.info(Errors.PREFIX + "QEMU quit");
        return Step.QUIT;
    }
}
