package io.qmp4j.event;

import io.qmp4j.message.QmpEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A live subscription to a connection's events: a bounded buffer that the connection fills with
 * the events matching a filter, in arrival order, or a listener that it feeds.
 *
 * <p>Close it (try-with-resources) when done; closing the connection ends it too. Reading
 * methods are for queue subscriptions ({@code QmpConnection.subscribe}); a listener subscription
 * ({@code QmpConnection.onEvent}) throws {@link IllegalStateException} from them.
 */
public interface EventSubscription extends AutoCloseable {

    /** The filter this subscription was made with. */
    EventFilter filter();

    /**
     * Waits up to {@code timeout} for the next event and removes it.
     *
     * @return the event, or empty when the time passed without one
     * @throws io.qmp4j.QmpConnectionClosedException when the buffer is empty and the
     *         subscription or its connection is closed (so a reader never waits for nothing)
     * @throws io.qmp4j.QmpEventOverflowException under {@link OverflowPolicy#FAIL} after an overflow
     */
    Optional<QmpEvent> poll(Duration timeout);

    /**
     * Waits up to {@code timeout} for the next event and removes it.
     *
     * @throws io.qmp4j.QmpTimeoutException when no event arrived in time
     * @throws io.qmp4j.QmpConnectionClosedException as for {@link #poll(Duration)}
     */
    QmpEvent take(Duration timeout);

    /** Removes and returns every buffered event without waiting (possibly none). */
    List<QmpEvent> drain();

    /** How many events are buffered now. */
    int size();

    /** The most events the buffer holds. */
    int capacity();

    /** How many matching events were lost to overflow so far. */
    long droppedCount();

    /** Whether the subscription still receives events. */
    boolean isOpen();

    /** Stops receiving events; buffered ones can still be drained. Idempotent. */
    @Override
    void close();
}
