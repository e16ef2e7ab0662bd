package io.qmp4j.internal.event;

import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpEventOverflowException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.message.QmpEvent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One subscription: a bounded buffer filled by the event loop ({@link #offer}), read by callers
 * or drained into a listener on an executor. Never blocks the event loop.
 */
final class BufferedSubscription implements EventSubscription {
    private static final System.Logger LOG = System.getLogger("io.qmp4j.event");

    private final EventHub hub;
    private final EventFilter filter;
    private final int capacity;
    private final OverflowPolicy policy;
    private final Consumer<QmpEvent> listener;
    private final Executor executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final ArrayDeque<QmpEvent> buffer = new ArrayDeque<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private long dropped;
    private boolean open = true;
    private boolean overflowed;
    private Throwable endCause;

    BufferedSubscription(EventHub hub, EventFilter filter, int capacity, OverflowPolicy policy,
            Consumer<QmpEvent> listener, Executor executor) {
        this.hub = hub;
        this.filter = filter;
        this.capacity = capacity;
        this.policy = policy;
        this.listener = listener;
        this.executor = executor;
    }

    /** Runs on the event loop: buffers the event (applying the overflow policy); never waits. */
    void offer(QmpEvent event) {
        long droppedNow = 0;
        lock.lock();
        try {
            if (!open) {
                return;
            }
            if (buffer.size() >= capacity) {
                droppedNow = ++dropped;
                if (policy == OverflowPolicy.DROP_NEWEST) {
                    event = null;
                } else if (policy == OverflowPolicy.DROP_OLDEST) {
                    buffer.pollFirst();
                } else {
                    overflowed = true;
                    open = false;
                    event = null;
                }
            }
            if (event != null) {
                buffer.addLast(event);
            }
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        if (droppedNow > 0) {
            reportDrop(droppedNow);
        }
        if (listener != null) {
            scheduleDrain();
        }
    }

    private void reportDrop(long total) {
        if (Long.bitCount(total) == 1) { // 1, 2, 4, 8, ...: logarithmic, never silent, never flooding
            LOG.log(Level.WARNING, "event subscription (" + filter + ", capacity " + capacity + ", "
                    + policy + ") overflowed: " + total + " event(s) lost so far");
        }
        if (policy == OverflowPolicy.FAIL) {
            hub.remove(this);
        }
    }

    /** Runs on the event loop or the closing thread: ends the subscription because its source ended. */
    void end(Throwable cause) {
        lock.lock();
        try {
            if (open) {
                open = false;
                endCause = cause;
            }
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    EventFilter filterForHub() {
        return filter;
    }

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drainToListener);
            } catch (RuntimeException rejected) {
                draining.set(false);
                LOG.log(Level.ERROR, "event listener executor rejected delivery for " + filter, rejected);
            }
        }
    }

    /** Runs on the listener executor: delivers buffered events in order, one at a time. */
    private void drainToListener() {
        while (true) {
            QmpEvent next;
            lock.lock();
            try {
                next = buffer.pollFirst();
                if (next == null) {
                    draining.set(false);
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event listener for " + filter + " threw on " + next.name(), e);
            }
        }
    }

    @Override
    public EventFilter filter() {
        return filter;
    }

    @Override
    public Optional<QmpEvent> poll(Duration timeout) {
        requireQueue();
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (buffer.isEmpty()) {
                if (!open) {
                    throw ended();
                }
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = nonEmpty.awaitNanos(nanos);
            }
            return Optional.of(buffer.pollFirst());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QmpEvent take(Duration timeout) {
        return poll(timeout).orElseThrow(() -> new QmpTimeoutException(
                "no event matching " + filter + " within " + timeout.toMillis() + " ms", timeout));
    }

    private RuntimeException ended() {
        if (overflowed) {
            return new QmpEventOverflowException("event subscription (" + filter + ") overflowed its capacity of "
                    + capacity + " and was ended (OverflowPolicy.FAIL); " + dropped + " event(s) lost");
        }
        return endCause == null
                ? new QmpConnectionClosedException("event subscription (" + filter + ") is closed")
                : new QmpConnectionClosedException("event subscription (" + filter + ") ended: connection closed",
                        endCause);
    }

    @Override
    public List<QmpEvent> drain() {
        requireQueue();
        lock.lock();
        try {
            List<QmpEvent> all = new ArrayList<>(buffer);
            buffer.clear();
            return all;
        } finally {
            lock.unlock();
        }
    }

    private void requireQueue() {
        if (listener != null) {
            throw new IllegalStateException("events of this subscription (" + filter
                    + ") go to its listener; read methods are for subscribe(...) subscriptions");
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long droppedCount() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return open;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        hub.remove(this);
        end(null);
    }

    @Override
    public String toString() {
        return "EventSubscription[" + filter + ", capacity " + capacity + ", " + policy + "]";
    }
}
