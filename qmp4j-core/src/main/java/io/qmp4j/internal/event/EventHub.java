package io.qmp4j.internal.event;

import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A connection's event fan-out. The event loop calls {@link #dispatch}; it numbers each event,
 * keeps the most recent ones in a bounded history, wakes {@code awaitEvent} waiters and offers
 * the event to every matching subscription's bounded buffer. Nothing here blocks the loop or
 * runs user code on it.
 *
 * <p>The history is what makes {@code awaitEvent} safe after the command that triggers the
 * event: QEMU sends STOP before the reply of {@code stop}, so the event is already here when
 * the caller starts waiting; the caller passes the sequence number it saw before sending.
 */
public final class EventHub {
    /** How many recent events are kept for {@code awaitEvent}. */
    public static final int HISTORY_SIZE = 512;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Numbered> history = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final CopyOnWriteArrayList<BufferedSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile long sequence;
    private volatile Throwable closedCause;
    private volatile boolean closed;

    /** An event with its arrival number (1, 2, 3, ... per connection). */
    public record Numbered(long sequence, QmpEvent event) {
    }

    private record Waiter(EventFilter filter, CompletableFuture<Numbered> future) {
    }

    /** The number of the latest event received so far (0 before the first). Any thread. */
    public long sequence() {
        return sequence;
    }

    /** Runs on the event loop: records and fans out one event. */
    public void dispatch(QmpEvent event) {
        lock.lock();
        try {
            Numbered numbered = new Numbered(sequence + 1, event);
            sequence = numbered.sequence();
            if (history.size() >= HISTORY_SIZE) {
                history.pollFirst();
            }
            history.addLast(numbered);
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.filter.matches(event)) {
                    it.remove();
                    w.future.complete(numbered);
                }
            }
        } finally {
            lock.unlock();
        }
        for (BufferedSubscription s : subscriptions) {
            if (s.filterForHub().matches(event)) {
                s.offer(event);
            }
        }
    }

    /** Caller thread: a new queue subscription. */
    public EventSubscription subscribe(EventFilter filter, int capacity, OverflowPolicy policy) {
        return add(new BufferedSubscription(this, filter, capacity, policy, null, null));
    }

    /** Caller thread: a new listener subscription, delivered one event at a time on {@code executor}. */
    public EventSubscription listen(EventFilter filter, int capacity, OverflowPolicy policy,
            Consumer<QmpEvent> listener, Executor executor) {
        Objects.requireNonNull(listener, "listener");
        return add(new BufferedSubscription(this, filter, capacity, policy, listener, executor));
    }

    private EventSubscription add(BufferedSubscription s) {
        if (capacityInvalid(s.capacity())) {
            throw new IllegalArgumentException("capacity must be between 1 and 1048576, got " + s.capacity());
        }
        subscriptions.add(s);
        if (closed) { // closed meanwhile: the subscription must not wait for events that never come
            subscriptions.remove(s);
            s.end(closedCause);
        }
        return s;
    }

    private static boolean capacityInvalid(int capacity) {
        return capacity < 1 || capacity > (1 << 20);
    }

    void remove(BufferedSubscription s) {
        subscriptions.remove(s);
    }

    /**
     * Caller thread: the first event matching {@code filter} numbered above {@code after}, from
     * the history or as it arrives, waiting at most {@code timeout}.
     *
     * @throws QmpTimeoutException          when none arrived in time
     * @throws QmpConnectionClosedException when none is in the history and no more can come
     */
    public Numbered await(EventFilter filter, long after, Duration timeout) {
        Waiter waiter;
        lock.lock();
        try {
            for (Numbered n : history) {
                if (n.sequence() > after && filter.matches(n.event())) {
                    return n;
                }
            }
            if (closed) {
                throw new QmpConnectionClosedException("no event matching " + filter
                        + " arrived before the connection closed", closedCause);
            }
            waiter = new Waiter(filter, new CompletableFuture<>());
            waiters.add(waiter);
        } finally {
            lock.unlock();
        }
        return awaitWaiter(waiter, timeout);
    }

    private Numbered awaitWaiter(Waiter waiter, Duration timeout) {
        try {
            return waiter.future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            removeWaiter(waiter);
            // it may have been completed between the timeout and the removal
            Numbered late = waiter.future.getNow(null);
            if (late != null) {
                return late;
            }
            throw new QmpTimeoutException("no event matching " + waiter.filter + " within "
                    + timeout.toMillis() + " ms", timeout);
        } catch (InterruptedException e) {
            removeWaiter(waiter);
            Thread.currentThread().interrupt();
            throw new QmpTimeoutException("interrupted while waiting for an event matching " + waiter.filter,
                    timeout);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private void removeWaiter(Waiter waiter) {
        lock.lock();
        try {
            waiters.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: no more events will come; ends every subscription and fails every waiter. Idempotent. */
    public void close(Throwable cause) {
        List<Waiter> failed;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closedCause = cause;
            closed = true;
            failed = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        for (Waiter w : failed) {
            w.future.completeExceptionally(new QmpConnectionClosedException("no event matching " + w.filter
                    + " arrived before the connection closed", cause));
        }
        for (BufferedSubscription s : subscriptions) {
            s.end(cause);
        }
        subscriptions.clear();
    }
}
