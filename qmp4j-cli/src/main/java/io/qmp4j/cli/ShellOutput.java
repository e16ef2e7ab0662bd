package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpEvent;
import java.io.PrintWriter;
import java.util.List;

/**
 * Everything the shell prints, serialised by one lock so that replies, events, errors and the
 * prompt never interleave mid-line. Replies and events go to stdout; messages, errors and the
 * prompt's surroundings to stderr.
 *
 * <p>Events are read from a queue subscription only under this lock: before a reply is printed
 * the queue is drained, so an event QEMU sent before the reply (STOP before the reply of
 * {@code stop}) is always printed before it. Events that arrive while the shell waits for input
 * are printed by {@link #flushEvents()}, which an event listener calls.
 */
final class ShellOutput {
    /** The prompt, as in QEMU's {@code qmp-shell}. */
    static final String PROMPT = "(QEMU) ";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private EventSubscription events;
    private boolean showEvents = true;
    private boolean atPrompt;

    ShellOutput(PrintWriter out, PrintWriter err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    /** Caller thread: the queue whose events are printed from now on. */
    synchronized void attach(EventSubscription subscription) {
        this.events = subscription;
    }

    /** Caller thread: prints the prompt when interactive. */
    synchronized void prompt() {
        if (interactive) {
            out.print(PROMPT);
            out.flush();
            atPrompt = true;
        }
    }

    /** Caller thread: a line (or the end of input) was read, the prompt is no longer showing. */
    synchronized void inputRead(boolean endOfInput) {
        if (endOfInput && atPrompt) {
            out.println();
            out.flush();
        }
        atPrompt = false;
    }

    /** Any thread: prints the events that arrived and have not been printed yet. */
    synchronized void flushEvents() {
        if (events == null) {
            return;
        }
        List<QmpEvent> pending = events.drain();
        if (pending.isEmpty() || !showEvents) {
            return;
        }
        if (atPrompt) {
            out.println();
        }
        for (QmpEvent e : pending) {
            out.println(eventLine(e));
        }
        if (atPrompt) {
            out.print(PROMPT);
        }
        out.flush();
    }

    /** Caller thread: prints the events received so far, then {@code value} pretty-printed. */
    synchronized void reply(JsonNode value) {
        flushEvents();
        out.println(JsonText.pretty(value));
        out.flush();
    }

    /** Caller thread: prints the events received so far, then {@code message} on stderr. */
    synchronized void error(String message) {
        flushEvents();
        err.println(message);
        err.flush();
    }

    /** Any thread: prints an informational line on stderr, keeping the prompt intact. */
    synchronized void info(String message) {
        out.flush();
        if (atPrompt) {
            err.println();
        }
        err.println(message);
        err.flush();
        if (atPrompt) {
            out.print(PROMPT);
            out.flush();
        }
    }

    /** Caller thread: prints a line of help text on stdout. */
    synchronized void text(String message) {
        out.println(message);
        out.flush();
    }

    /** Caller thread: turns event printing on or off; events arriving while off are discarded. */
    synchronized void showEvents(boolean show) {
        flushEvents();
        this.showEvents = show;
    }

    /** Whether events are printed. */
    synchronized boolean showEvents() {
        return showEvents;
    }

    /** {@code event NAME {"data":...,"timestamp":...}}: the event without its name member, compact. */
    static String eventLine(QmpEvent e) {
        JsonNode rest = e.json();
        if (rest.isObject()) {
            ObjectNode copy = ((ObjectNode) rest).deepCopy();
            copy.remove("event");
            rest = copy;
        }
        return "event " + e.name() + " " + JsonText.compact(rest);
    }
}
