package io.qmp4j.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts what a test may leak: open file descriptors and live qmp4j threads. */
final class Leaks {
    private Leaks() {
    }

    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long qmp4jThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("qmp4j-io")).count();
    }

    /** Waits up to 5 s for the qmp4j I/O threads to end (the last close() stops them). */
    static long qmp4jThreadsAfterSettling() throws InterruptedException {
        for (int i = 0; i < 100 && qmp4jThreads() > 0; i++) {
            Thread.sleep(50);
        }
        return qmp4jThreads();
    }
}
