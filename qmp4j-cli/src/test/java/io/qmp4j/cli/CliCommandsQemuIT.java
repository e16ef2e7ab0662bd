package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.message.QmpJson;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** exec --raw, events, hmp, schema, wait and shell --spawn/--keep-going against a real QEMU. */
@RequiresQemu
class CliCommandsQemuIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A paused pc machine with a second monitor, so a test can cause events while the CLI listens. */
    private static QemuProcess pausedPc() {
        return QemuProcess.builder().machine("pc").memoryMiB(64).startPaused(true).secondQmpSocket(true).start();
    }

    /** Runs {@code args} in the background; returns once the CLI has connected (two monitors busy). */
    private static CompletableFuture<CliRunner.Result> background(StringWriter out, StringWriter err, String... args) {
        return CompletableFuture.supplyAsync(() -> CliRunner.run(new java.io.ByteArrayInputStream(new byte[0]),
                false, out, err, args));
    }

    private static void control(QemuProcess qemu, String command) {
        try (QmpConnection qmp = QmpConnection.builder(qemu.secondQmpSocket().orElseThrow()).build()) {
            qmp.connect();
            qmp.execute(command);
        }
    }

    @Test
    void execRawPrintsTheWholeReplyAndTheErrorObject() throws Exception {
        try (QemuProcess qemu = QemuProcess.start()) {
            String socket = qemu.qmpSocket().toString();
            CliRunner.Result ok = CliRunner.run("exec", "-s", socket, "--raw", "query-status");
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(QmpJson.mapper().readTree(ok.out()).path("return").path("status").asText()).isEqualTo("running");

            CliRunner.Result error = CliRunner.run("exec", "-s", socket, "--no-validate", "--raw", "no-such-command");
            assertThat(error.exitCode()).as(error.toString()).isEqualTo(3);
            assertThat(error.out()).isEqualTo("{\"error\":{\"class\":\"CommandNotFound\","
                    + "\"desc\":\"The command no-such-command has not been found\"}}\n");
        }
    }

    @Test
    void hmpPrintsTheHumanMonitorsText() {
        try (QemuProcess qemu = QemuProcess.start()) {
            CliRunner.Result r = CliRunner.run("hmp", "-s", qemu.qmpSocket().toString(), "info", "status");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("VM status: running\n");
        }
    }

    @Test
    void schemaListsAndDescribesCommandsAndEvents() {
        try (QemuProcess qemu = QemuProcess.start()) {
            String socket = qemu.qmpSocket().toString();
            CliRunner.Result list = CliRunner.run("schema", "-s", socket);
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).contains("command query-status\n", "command blockdev-add\n", "event STOP\n");

            CliRunner.Result hmp = CliRunner.run("schema", "-s", socket, "human-monitor-command");
            assertThat(hmp.out()).contains("arguments:\n  command-line  str\n  cpu-index     int, optional\nreturns: str");

            CliRunner.Result blockdev = CliRunner.run("schema", "-s", socket, "blockdev-add");
            assertThat(blockdev.out()).contains("  when driver=qcow2:", "  when driver=file|host_cdrom|host_device:");

            CliRunner.Result json = CliRunner.run("schema", "-s", socket, "--json", "STOP");
            assertThat(json.out()).contains("\"meta-type\": \"event\"");

            CliRunner.Result unknown = CliRunner.run("schema", "-s", socket, "no-such-thing");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.err()).startsWith("qmp4j: QEMU has no command, event or type named no-such-thing");
        }
    }

    @Test
    void waitExitsZeroWithTheEventOrFiveOnTimeout() throws Exception {
        try (QemuProcess qemu = pausedPc()) {
            String socket = qemu.qmpSocket().toString();
            CliRunner.Result timedOut = CliRunner.run("wait", "-s", socket, "STOP", "--timeout", "300ms");
            assertThat(timedOut.exitCode()).as(timedOut.toString()).isEqualTo(5);
            assertThat(timedOut.err()).isEqualTo("qmp4j: timeout: no STOP within 300 ms\n");

            CompletableFuture<CliRunner.Result> filtered = background(new StringWriter(), new StringWriter(),
                    "wait", "-s", socket, "RESUME", "--where", "nothing=here", "--timeout", "2s");
            awaitConnected(qemu, 1);
            control(qemu, "cont");
            CliRunner.Result r = filtered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.exitCode()).as("RESUME came, but --where matches no event: " + r).isEqualTo(5);
            assertThat(r.err()).isEqualTo("qmp4j: timeout: no RESUME where nothing=here within 2000 ms\n");

            CompletableFuture<CliRunner.Result> matching = background(new StringWriter(), new StringWriter(),
                    "wait", "-s", socket, "STOP", "RESUME", "--timeout", "10s");
            awaitConnected(qemu, 1);
            control(qemu, "stop");
            r = matching.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(QmpJson.mapper().readTree(r.out()).path("event").asText()).isEqualTo("STOP");
        }
    }

    @Test
    void eventsPrintsJsonLinesUntilTheCount() throws Exception {
        try (QemuProcess qemu = pausedPc()) {
            StringWriter out = new StringWriter();
            CompletableFuture<CliRunner.Result> events = background(out, new StringWriter(), "events", "-s",
                    qemu.qmpSocket().toString(), "--filter", "RESUME,STOP", "--count", "2", "--timeout", "10s");
            awaitConnected(qemu, 1);
            control(qemu, "cont");
            control(qemu, "stop");
            CliRunner.Result r = events.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(r.exitCode()).as(r.toString()).isZero();
            String[] lines = r.out().split("\n");
            assertThat(lines).hasSize(2);
            assertThat(QmpJson.mapper().readTree(lines[0]).path("event").asText()).isEqualTo("RESUME");
            assertThat(QmpJson.mapper().readTree(lines[1]).path("event").asText()).isEqualTo("STOP");
            CliRunner.Result none = CliRunner.run("events", "-s", qemu.qmpSocket().toString(), "--timeout", "200ms");
            assertThat(none.exitCode()).isEqualTo(5);
        }
    }

    @Test
    void eventsFollowEndsWhenQemuQuits() throws Exception {
        try (QemuProcess qemu = pausedPc()) {
            StringWriter out = new StringWriter();
            CompletableFuture<CliRunner.Result> events = background(out, new StringWriter(), "events", "-s",
                    qemu.qmpSocket().toString(), "--follow");
            awaitConnected(qemu, 1);
            control(qemu, "quit");
            CliRunner.Result r = events.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode shutdown = QmpJson.mapper().readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
            assertThat(shutdown.path("event").asText()).isEqualTo("SHUTDOWN");
            assertThat(r.err()).isEqualTo("qmp4j: QEMU closed the connection\n");
        }
    }

    @Test
    void spawnPassesQemuArgumentsAndKeepGoingRunsEveryLine() {
        CliRunner.Result r = CliRunner.run("query-status\nbogus\nhuman-monitor-command command-line='info cpus'\n",
                false, "shell", "--keep-going", "--compact", "--spawn", "-machine", "pc", "-m", "64", "-S");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).startsWith("{\"status\":\"prelaunch\",").contains("CPU #0");
        assertThat(r.err()).contains("-machine pc", "-S", "-m 64", "qmp4j: bogus: execute: unknown command", "nothing was sent",
                "qmp4j: stopped QEMU");
    }

    /** Waits until QEMU reports {@code clients} connected QMP monitors besides ours (via query-... the log). */
    private static void awaitConnected(QemuProcess qemu, int clients) throws InterruptedException {
        // A CLI command is connected once it has negotiated; QEMU has no query for monitor clients, so
        // wait for the CLI's socket connection to show up in /proc as an open unix socket peer.
        BooleanSupplier ready = () -> socketConnections(qemu) >= clients;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!ready.getAsBoolean()) {
            assertThat(System.nanoTime()).as("the CLI did not connect").isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(200); // the connection is accepted before the greeting and negotiation end
    }

    private static long socketConnections(QemuProcess qemu) {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(qemu.pid()), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count() - 2; // QEMU's two listening monitor sockets
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
