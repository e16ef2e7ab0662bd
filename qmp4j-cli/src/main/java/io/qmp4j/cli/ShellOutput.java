package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpEvent;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the shell prints, serialised by one lock so that replies, events and errors never
 * interleave, and formatted as asked (pretty or {@code --compact}, coloured or not). The
 * {@link ShellConsole} decides where it goes and keeps the line being typed intact.
 *
 * <p>Events are read from a queue subscription only under this lock: before a reply is printed
 * the queue is drained, so an event QEMU sent before the reply (STOP before the reply of
 * {@code stop}) is always printed before it. Events that arrive while the shell waits for input
 * are printed by {@link #flushEvents()}, which an event listener calls.
 */
final class ShellOutput {
    /** The prompt in QMP mode, as in QEMU's {@code qmp-shell}. */
    static final String PROMPT = "(QEMU) ";
    /** The prompt in HMP mode. */
    static final String HMP_PROMPT = "(HMP) ";

    private static final String EVENT_COLOR = "\u001b[35m";

    private final ShellConsole console;
    private final boolean compact;
    private EventSubscription events;
    private boolean showEvents = true;
    private Set<String> eventNames = Set.of();

    /**
     * @param compact whether replies are printed on one line instead of indented
     */
    ShellOutput(ShellConsole console, boolean compact) {
        this.console = console;
        this.compact = compact;
    }

    /** Caller thread: the queue whose events are printed from now on. */
    synchronized void attach(EventSubscription subscription) {
        this.events = subscription;
    }

    /** Any thread: prints the events that arrived and have not been printed yet. */
    synchronized void flushEvents() {
        if (events == null) {
            return;
        }
        List<QmpEvent> pending = events.drain();
        for (QmpEvent e : pending) {
            if (showEvents && (eventNames.isEmpty() || eventNames.contains(e.name()))) {
                console.out(eventLine(e));
            }
        }
    }

    /** Caller thread: prints the events received so far, then {@code value}. */
    synchronized void reply(JsonNode value) {
        flushEvents();
        console.out(format(value));
    }

    /** Caller thread: prints the events received so far, then HMP's text output (if any). */
    synchronized void hmpText(String text) {
        flushEvents();
        String lines = text.replace("\r\n", "\n").stripTrailing();
        if (!lines.isEmpty()) {
            console.out(lines);
        }
    }

    /** Caller thread: prints the events received so far, then {@code message} on stderr. */
    synchronized void error(String message) {
        flushEvents();
        console.err(message);
    }

    /** Any thread: prints an informational line on stderr. */
    synchronized void info(String message) {
        console.note(message);
    }

    /** Caller thread: prints text (help, status) on stdout. */
    synchronized void text(String message) {
        console.out(message);
    }

    /** Caller thread: turns event printing on or off; events arriving while off are discarded. */
    synchronized void showEvents(boolean show) {
        flushEvents();
        this.showEvents = show;
    }

    /** Caller thread: prints only events with these names from now on; none means all. */
    synchronized void eventFilter(Set<String> names) {
        flushEvents();
        this.eventNames = Set.copyOf(names);
    }

    /** A line saying whether events are printed, and which. */
    synchronized String eventStatus() {
        return "events are " + (showEvents ? "on" : "off")
                + (eventNames.isEmpty() ? "" : ", only " + String.join(" ", new TreeSet<>(eventNames)));
    }

    /** {@code value} as the shell prints a reply. */
    String format(JsonNode value) {
        if (console.colors()) {
            return JsonText.colored(value, !compact);
        }
        return compact ? JsonText.compact(value) : JsonText.pretty(value);
    }

    /** {@code event NAME {"data":...,"timestamp":...}}, coloured when the console is. */
    private String eventLine(QmpEvent e) {
        return console.colors() ? EVENT_COLOR + "event " + e.name() + JsonText.RESET + " "
                + JsonText.colored(withoutName(e), false) : plainEventLine(e);
    }

    /** {@code event NAME {"data":...,"timestamp":...}}: the event without its name member, compact. */
    static String plainEventLine(QmpEvent e) {
        return "event " + e.name() + " " + JsonText.compact(withoutName(e));
    }

    private static JsonNode withoutName(QmpEvent e) {
        JsonNode rest = e.json();
        if (rest.isObject()) {
            ObjectNode copy = ((ObjectNode) rest).deepCopy();
            copy.remove("event");
            rest = copy;
        }
        return rest;
    }
}
