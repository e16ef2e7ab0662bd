package io.qmp4j.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.qmp4j.QmpConnection;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds many idle qmp4j connections in one JVM and reports what they cost: I/O threads, heap
 * and direct memory per connection. Runs in its own JVM, started by the harness:
 * {@code java -cp qmp4j-bench.jar io.qmp4j.bench.IdleConnections SOCKET COUNT}. Prints one
 * {@code idle key=value ...} line.
 */
public final class IdleConnections {
    private static final int CONNECTING_THREADS = 4;

    private IdleConnections() {
    }

    /** Connects {@code args[1]} clients to the server at {@code args[0]} and measures. */
    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        List<QmpConnection> open = Collections.synchronizedList(new ArrayList<>());
        try {
            open.add(Qmp4jRuns.open(socket, true)); // the first one starts the I/O threads
            open.get(0).execute("query-status");
            Memory before = Memory.now();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long t0 = System.nanoTime();
            connectAll(socket, count - 1, open);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            int checked = 0;
            for (int i = 0; i < open.size(); i += Math.max(1, open.size() / 100)) {
                open.get(i).execute("query-status"); // every one is live, not just open
                checked++;
            }
            Memory after = Memory.now();
            int ioThreads = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("qmp4j-io")) {
                    ioThreads++;
                }
            }
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            double added = open.size() - 1.0;
            System.out.printf(Locale.ROOT, "idle connections=%d io_threads=%d jvm_threads_before=%d"
                    + " jvm_threads_after=%d heap_bytes_per_connection=%.0f direct_bytes_per_connection=%.0f"
                    + " rss_bytes_per_connection=%.0f connect_s=%.2f connects_per_s=%.0f checked=%d%n",
                    open.size(), ioThreads, threadsBefore, threadsAfter, (after.heap - before.heap) / added,
                    (after.direct - before.direct) / added, (after.rss - before.rss) / added, connectSeconds,
                    added / connectSeconds, checked);
        } finally {
            open.forEach(QmpConnection::close);
        }
    }

    private static void connectAll(Path socket, int n, List<QmpConnection> open) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < CONNECTING_THREADS; t++) {
            Thread thread = new Thread(() -> {
                while (next.getAndIncrement() < n && failures.isEmpty()) {
                    try {
                        open.add(Qmp4jRuns.open(socket, true));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, "bench-connect-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("connection " + open.size() + " failed", failures.get(0));
        }
    }

    /** Heap after a full collection, Netty's direct memory and the process RSS. */
    private record Memory(long heap, long direct, long rss) {
        static Memory now() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                    ? p.metric().usedDirectMemory() : 0;
            return new Memory(heap, direct, readRss());
        }

        private static long readRss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (java.io.IOException e) {
                // not Linux: report 0
            }
            return 0;
        }
    }
}
