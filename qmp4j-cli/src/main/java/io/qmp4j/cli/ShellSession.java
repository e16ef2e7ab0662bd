package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpGreeting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The read-execute-print loop of {@code qmp4j shell} over one connected monitor.
 *
 * <p>Interactive (a terminal): prompts, reports errors and carries on. Scripted (stdin is not a
 * terminal): no prompt, and the first failure ends the session with its exit code: 2 for a line
 * that cannot be parsed, 3 for a QMP error, 4 for a timeout or a lost connection. The end of input
 * ends the session with 0; so does {@code quit}, once QEMU has closed the monitor.
 */
final class ShellSession {
    static final String HELP = String.join("\n",
            "Type a QMP command in one of two forms:",
            "  command key=value key2.sub=value   values are JSON when they parse as JSON, else strings;",
            "                                     dotted keys build nested objects",
            "  {\"execute\": \"command\", \"arguments\": {...}}   raw QMP (an \"id\" member is ignored)",
            "Blank lines and lines starting with # are ignored.",
            "Examples:",
            "  query-status",
            "  human-monitor-command command-line='info registers'",
            "  device_add driver=virtio-net-pci id=nic1",
            "Built-ins:",
            "  /help              this text",
            "  /events on|off     print asynchronous events (on by default)",
            "  /quit              leave the shell (so does Ctrl-D)");

    private final QmpConnection qmp;
    private final BufferedReader in;
    private final ShellOutput output;
    private final boolean interactive;
    private final Duration timeout;
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

    ShellSession(QmpConnection qmp, BufferedReader in, ShellOutput output, boolean interactive, Duration timeout) {
        this.qmp = qmp;
        this.in = in;
        this.output = output;
        this.interactive = interactive;
        this.timeout = timeout;
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
            if (interactive && !closeExpected) {
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
        if (interactive) {
            output.info("Type a command (query-status, or {\"execute\": ...}); /help for help,"
                    + " /quit or Ctrl-D to leave.");
        }
    }

    private ExitCode loop() {
        while (true) {
            if (connectionLost()) {
                return ExitCode.CONNECTION;
            }
            output.prompt();
            String line = readLine();
            output.inputRead(line == null);
            if (line == null) {
                return ExitCode.OK;
            }
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (connectionLost()) { // QEMU may have gone while we waited for input
                return ExitCode.CONNECTION;
            }
            Step step = text.startsWith("/") ? builtin(text) : execute(text);
            if (step.leave() || step.code() != ExitCode.OK && !interactive) {
                return step.code();
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

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shell's input", e);
        }
    }

    private Step builtin(String text) {
        String[] words = text.split("\\s+");
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "/help":
                output.text(HELP);
                return Step.CONTINUE;
            case "/quit":
            case "/exit":
                return Step.QUIT;
            case "/events":
                return events(words);
            default:
                output.error(Errors.PREFIX + "unknown built-in " + words[0] + "; try /help");
                return Step.failed(ExitCode.USAGE);
        }
    }

    private Step events(String[] words) {
        if (words.length == 1) {
            output.text("events are " + (output.showEvents() ? "on" : "off"));
            return Step.CONTINUE;
        }
        if (words.length == 2 && (words[1].equals("on") || words[1].equals("off"))) {
            output.showEvents(words[1].equals("on"));
            return Step.CONTINUE;
        }
        output.error(Errors.PREFIX + "usage: /events on|off");
        return Step.failed(ExitCode.USAGE);
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
        JsonNode result;
        try {
            result = qmp.execute(request.command(), request.arguments(), timeout);
        } catch (QmpCommandException e) {
            closeExpected = false;
            output.error(e.errorClass() + ": " + e.description());
            return Step.failed(ExitCode.QMP_ERROR);
        } catch (QmpException e) {
            // timeout, protocol error, connection lost: the session may or may not be usable
            output.error(Errors.PREFIX + Errors.describe(e));
            return new Step(ExitCode.CONNECTION, qmp.state() != ConnectionState.RUNNING);
        }
        output.reply(result);
        return quit ? awaitQuit() : Step.CONTINUE;
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
