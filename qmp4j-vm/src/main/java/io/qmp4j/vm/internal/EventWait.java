package io.qmp4j.vm.internal;

import io.qmp4j.ConnectionEvent;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The first event matching a filter, as a future. Register it <em>before</em> sending the
 * command that causes the event, so it cannot be missed. An event that arrived just before
 * the connection closed (QEMU sends {@code SHUTDOWN}, then exits) still counts: a small queue
 * subscription keeps it for that case. Closes its subscriptions when the future completes.
 */
public final class EventWait {
    private final CompletableFuture<QmpEvent> event = new CompletableFuture<>();

    private EventWait(QmpConnection qmp, EventFilter filter) {
        EventSubscription kept = qmp.subscribe(filter, 4, OverflowPolicy.DROP_NEWEST);
        EventSubscription listener = qmp.onEvent(filter, event::complete);
        Consumer<ConnectionEvent> onClose = e -> {
            if (e.kind() == ConnectionEvent.Kind.CLOSED || e.kind() == ConnectionEvent.Kind.LOST) {
                closed(qmp, filter, kept);
            }
        };
        qmp.addStateListener(onClose); // removable, unlike a dependent of closeFuture()
        event.whenComplete((v, e) -> {
            qmp.removeStateListener(onClose);
            listener.close();
            kept.close();
        });
        ConnectionState now = qmp.state();
        if (now == ConnectionState.CLOSED || now == ConnectionState.CLOSING) {
            closed(qmp, filter, kept);
        }
    }

    /** The connection ended: an event that arrived before the end still counts. */
    private void closed(QmpConnection qmp, EventFilter filter, EventSubscription kept) {
        List<QmpEvent> arrived = kept.drain();
        if (!arrived.isEmpty()) {
            event.complete(arrived.get(0));
        } else {
            event.completeExceptionally(new QmpConnectionClosedException("connection to " + qmp.address()
                    + " closed while waiting for " + filter));
        }
    }

    /** Caller thread: starts listening for {@code filter} on {@code qmp}. */
    public static EventWait register(QmpConnection qmp, EventFilter filter) {
        return new EventWait(qmp, filter);
    }

    /** Completes with the first matching event, or fails if the connection closes first. */
    public CompletableFuture<QmpEvent> event() {
        return event;
    }

    /** Stops listening (the future is cancelled unless it already completed). */
    public void cancel() {
        event.cancel(false);
    }
}
