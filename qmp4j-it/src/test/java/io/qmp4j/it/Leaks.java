package io.qmp4j.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts what a test may leak: open file descriptors and live qmp4j threads. */
public final class Leaks {
    private Leaks() {
    }

    /** Open file descriptors of this JVM. */
    public static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The open fd count once it is at most {@code baseline}, or after 5 s the count then: a
     * descriptor another thread is still closing is not a leak, one that stays open is.
     */
    public static long openFdsSettling(long baseline) throws InterruptedException {
        long n = openFds();
        for (int i = 0; i < 100 && n > baseline; i++) {
            Thread.sleep(50);
            n = openFds();
        }
        return n;
    }

    /**
     * The qmp4j threads alive now that were not in {@code before}, after waiting up to 5 s for
     * them to end: those a test started and left behind.
     */
    public static java.util.List<String> newQmp4jThreads(java.util.Set<Thread> before) throws InterruptedException {
        java.util.List<String> left = java.util.List.of();
        for (int i = 0; i < 100; i++) {
            left = qmp4jThreadSet().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        return left;
    }

    /** The live qmp4j threads (see {@link #qmp4jThreads()}). */
    public static java.util.Set<Thread> qmp4jThreadSet() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("qmp4j-")
                && !t.getName().startsWith("qmp4j-fake-server")).collect(java.util.stream.Collectors.toSet());
    }

    /** Live qmp4j threads: I/O loops, stdio bridges, reconnect and release workers. */
    public static long qmp4jThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("qmp4j-") && !t.getName().startsWith("qmp4j-fake-server")).count();
    }

    /** Waits up to 5 s for the qmp4j threads to end (the last close() stops the I/O threads). */
    public static long qmp4jThreadsAfterSettling() throws InterruptedException {
        for (int i = 0; i < 100 && qmp4jThreads() > 0; i++) {
            Thread.sleep(50);
        }
        return qmp4jThreads();
    }
}
