package io.qmp4j.vm.internal;

import java.time.Duration;

/** A point in time by which an operation must finish; {@link #remaining()} is never below 1 ms. */
public record Deadline(long nanoTime, Duration total) {

    /** The deadline {@code total} from now. */
    public static Deadline in(Duration total) {
        return new Deadline(System.nanoTime() + total.toNanos(), total);
    }

    /** Time left, at least 1 ms so it can be used as a command timeout. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000, nanoTime - System.nanoTime()));
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return System.nanoTime() - nanoTime >= 0;
    }
}
