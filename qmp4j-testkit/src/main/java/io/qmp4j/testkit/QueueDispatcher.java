package io.qmp4j.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;

/**
 * The default {@link QmpDispatcher}: a first-in, first-out queue of scripted replies.
 *
 * <p>A command takes the oldest queued reply that fits it: a reply bound with {@link
 * ScriptedReply.Builder#forCommand(String)} fits only that command, an unbound one fits any command
 * but {@code qmp_capabilities} (so a client's handshake does not eat the script). When no reply
 * fits, the server answers as QEMU 7.2 would. Thread-safe.
 */
public final class QueueDispatcher implements QmpDispatcher {
    private final Deque<ScriptedReply> replies = new ArrayDeque<>();

    /** Creates an empty queue. */
    public QueueDispatcher() {}

    /**
     * Adds a reply at the end of the queue.
     *
     * @param reply the reply to play when a fitting command arrives
     */
    public synchronized void enqueue(ScriptedReply reply) {
        replies.addLast(Objects.requireNonNull(reply, "reply"));
    }

    /**
     * Removes and returns the oldest reply that fits {@code command}.
     *
     * @param command the received command
     * @return the reply, or null when none fits (the server then behaves like QEMU)
     */
    @Override
    public synchronized ScriptedReply dispatch(RecordedCommand command) {
        for (Iterator<ScriptedReply> it = replies.iterator(); it.hasNext(); ) {
            ScriptedReply reply = it.next();
            if (fits(reply, command.name())) {
                it.remove();
                return reply;
            }
        }
        return null;
    }

    /**
     * Returns how many replies are still queued.
     *
     * @return the number of replies no command has taken yet
     */
    public synchronized int size() {
        return replies.size();
    }

    private static boolean fits(ScriptedReply reply, String name) {
        return reply.command() == null
                ? !"qmp_capabilities".equals(name)
                : reply.command().equals(name);
    }
}
