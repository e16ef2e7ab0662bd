package io.qmp4j.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live migration of a running {@code -machine pc} VM between two local QEMU 7.2 over a UNIX socket. */
@RequiresQemu
class MigrationIT {
    private static final long MIB = 1 << 20;
    @TempDir
    Path tmp;

    private static RunningQemu source() {
        return new RunningQemu(QemuProcess.builder().machine("pc").memoryMiB(64));
    }

    private static RunningQemu destination() {
        return new RunningQemu(QemuProcess.builder().machine("pc").memoryMiB(64).extraArgs("-incoming", "defer"));
    }

    @Test
    void liveMigratesARunningVmAndReportsProgress() throws Exception {
        String uri = "unix:" + tmp.resolve("mig.sock");
        try (RunningQemu src = source(); RunningQemu dst = destination();
                EventSubscription events = src.qmp.subscribe(EventFilter.named("MIGRATION"))) {
            assertThat(src.vm.status().status()).isEqualTo("running");
            assertThat(dst.vm.status().status()).isEqualTo("inmigrate");
            dst.vm.migration().incoming(uri);
            List<MigrationProgress> incoming = new CopyOnWriteArrayList<>();
            CompletableFuture<MigrationProgress> arrived = dst.vm.migration().awaitIncomingAsync(incoming::add);

            List<MigrationProgress> progress = new CopyOnWriteArrayList<>();
            src.vm.migration().setParameters(Map.of("max-bandwidth", 64 * MIB));
            MigrationProgress done = src.vm.migration().migrate(uri, progress::add);

            assertThat(done.status()).isEqualTo("completed");
            assertThat(done.totalBytes()).isGreaterThanOrEqualTo(64 * MIB); // RAM plus ROMs
            assertThat(done.transferredBytes()).isPositive();
            assertThat(done.remainingBytes()).isZero();
            assertThat(progress).isNotEmpty().last().isEqualTo(done);
            assertThat(progress).extracting(MigrationProgress::status).allMatch(s -> List.of("setup", "active",
                    "device", "completed").contains(s));
            List<String> statuses = events.drain().stream().map(QmpEvent::data)
                    .map(d -> d.path("status").asText()).toList();
            assertThat(statuses).contains("setup", "active", "completed");

            assertThat(arrived.get(10, TimeUnit.SECONDS).status()).isEqualTo("completed");
            assertThat(incoming).isNotEmpty();
            assertThat(dst.vm.status()).isEqualTo(new VmStatus("running", true));
            assertThat(src.vm.status().status()).isEqualTo("postmigrate");
        }
    }

    @Test
    void migrationThatRunsOutOfTimeIsCancelledAndTheSourceKeepsRunning() {
        String uri = "unix:" + tmp.resolve("mig.sock");
        try (RunningQemu src = source(); RunningQemu dst = destination()) {
            dst.vm.migration().incoming(uri);
            src.vm.migration().setParameters(Map.of("max-bandwidth", 64 * 1024)); // 64 KiB/s: minutes
            List<MigrationProgress> progress = new CopyOnWriteArrayList<>();
            assertThatThrownBy(() -> src.vm.withTimeout(Duration.ofMillis(700)).migration().migrate(uri, progress::add))
                    .isInstanceOf(VmTimeoutException.class)
                    .hasMessageContaining("migration to " + uri + ": not completed within 700 ms")
                    .hasMessageContaining("sent migrate_cancel");
            assertThat(progress).anySatisfy(p -> assertThat(p.status()).isEqualTo("active"));
            assertThat(progress).anySatisfy(p -> assertThat(p.transferredBytes()).isPositive());
            awaitStatus(src, "cancelled");
            assertThat(src.vm.status()).isEqualTo(new VmStatus("running", true));
        }
    }

    @Test
    void explicitCancelEndsTheMigrationAsCancelled() throws Exception {
        String uri = "unix:" + tmp.resolve("mig.sock");
        try (RunningQemu src = source(); RunningQemu dst = destination()) {
            dst.vm.migration().incoming(uri);
            src.vm.migration().setParameters(Map.of("max-bandwidth", 64 * 1024));
            CompletableFuture<MigrationProgress> running = src.vm.migration().migrateAsync(uri, p -> { });
            awaitStatus(src, "active");
            src.vm.migration().cancel();
            assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(VmOperationException.class).hasMessageContaining("cancelled");
        }
    }

    @Test
    void migrationToNobodyFails() {
        try (RunningQemu src = source()) {
            String uri = "unix:" + tmp.resolve("nobody.sock");
            assertThatThrownBy(() -> src.vm.migration().migrate(uri, p -> { }))
                    .isInstanceOfAny(VmOperationException.class, io.qmp4j.QmpCommandException.class)
                    .hasMessageContaining("nobody.sock");
            assertThat(src.vm.status().running()).isTrue();
        }
    }

    private static void awaitStatus(RunningQemu q, String status) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!q.vm.migration().progress().status().equals(status)) {
            assertThat(System.nanoTime()).as("migration status " + status).isLessThan(end);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
