package io.qmp4j.internal.transport;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Makes qmp4j's I/O threads (daemon, named {@code PREFIX-N}) and recognises them, so that a
 * blocking call made on one (say a synchronous {@code execute} inside a future's callback, which
 * would wait for the very thread it blocks) fails at once instead of hanging. Any thread.
 */
public final class IoThreads extends DefaultThreadFactory {
    /** Threads of qmp4j's event loops. */
    private static final class IoThread extends FastThreadLocalThread {
        IoThread(ThreadGroup group, Runnable task, String name) {
            super(group, task, name);
        }
    }

    /** A factory of daemon I/O threads named {@code prefix-N}. */
    public IoThreads(String prefix) {
        super(prefix, true);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
        return new IoThread(threadGroup, r, name);
    }

    /** Whether the calling thread is one of qmp4j's I/O threads. */
    public static boolean isIoThread() {
        return Thread.currentThread() instanceof IoThread;
    }
}
