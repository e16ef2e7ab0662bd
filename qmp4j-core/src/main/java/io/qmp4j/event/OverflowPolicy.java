package io.qmp4j.event;

/**
 * What an {@link EventSubscription} does when an event arrives and its buffer is full.
 * Whatever the policy, every lost event is counted ({@link EventSubscription#droppedCount()})
 * and reported in the log; memory never grows beyond the buffer.
 */
public enum OverflowPolicy {
    /** Drop the oldest buffered event to make room (default): a slow reader sees the latest events. */
    DROP_OLDEST,
    /** Drop the arriving event: a slow reader sees the earliest events. */
    DROP_NEWEST,
    /** End the subscription: its next read throws {@link io.qmp4j.QmpEventOverflowException}. */
    FAIL
}
