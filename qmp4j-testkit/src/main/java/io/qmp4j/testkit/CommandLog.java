package io.qmp4j.testkit;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Records every request a {@link FakeQmpServer} receives, for the test to take. Internal; thread-safe. */
final class CommandLog {
    private final BlockingQueue<RecordedCommand> untaken = new LinkedBlockingQueue<>();
    private final AtomicLong count = new AtomicLong();

    /** Records one request and returns its record. Runs on the session thread. */
    RecordedCommand record(RequestReader.Request request, int connectionIndex) {
        RecordedCommand command;
        synchronized (this) { // sequence numbers follow queue order
            command =
                    new RecordedCommand(
                            request.json(), request.raw(), count.getAndIncrement(), connectionIndex);
            untaken.add(command);
        }
        return command;
    }

    /** Waits up to {@code timeout} for the oldest untaken record. Runs on a test thread. */
    RecordedCommand take(Duration timeout) throws InterruptedException {
        return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns how many requests were recorded, taken or not. */
    long count() {
        return count.get();
    }
}
