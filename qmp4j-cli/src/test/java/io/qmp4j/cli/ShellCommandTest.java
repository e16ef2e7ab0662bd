package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.message.QmpJson;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.Fault;
import io.qmp4j.testkit.RecordedCommand;
import io.qmp4j.testkit.ScriptedReply;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShellCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private FakeQmpServer server;
    private String socket;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeQmpServer();
        server.start();
        socket = server.socketPath().toString();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private CliRunner.Result script(String stdin, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("shell", "-s", socket, "--no-validate"));
        args.addAll(List.of(extraArgs));
        return CliRunner.run(stdin, false, args.toArray(String[]::new));
    }

    /** The names of the commands the server received, handshake included. */
    private List<String> received() throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (RecordedCommand c; (c = server.takeCommand(Duration.ofMillis(200))) != null; ) {
            names.add(c.name());
        }
        return names;
    }

    @Test
    void runsScriptedCommandsAndPrintsRepliesAndEventsInOrder() throws Exception {
        CliRunner.Result r = script("query-status\nstop\nquery-status\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        String[] lines = r.out().split("\n");
        assertThat(lines).containsExactly(
                "{", "  \"status\": \"running\",", "  \"singlestep\": false,", "  \"running\": true", "}",
                lines[5], "{}",
                "{", "  \"status\": \"paused\",", "  \"singlestep\": false,", "  \"running\": false", "}");
        assertThat(lines[5]).matches("event STOP \\{\"timestamp\":\\{\"seconds\":\\d+,\"microseconds\":\\d+}}");
        assertThat(r.out()).doesNotContain(ShellOutput.PROMPT);
        assertThat(received()).containsExactly("qmp_capabilities", "query-status", "stop", "query-status");
    }

    @Test
    void printsTheGreetingOnStderr() {
        CliRunner.Result r = script("");

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Connected to QEMU 7.2.22")
                .contains("capabilities offered: oob, enabled: oob")
                .doesNotContain("/help"); // the hint is for people at a terminal
    }

    @Test
    void emptyInputOnlyNegotiates() throws Exception {
        assertThat(script("").exitCode()).isEqualTo(0);
        assertThat(received()).containsExactly("qmp_capabilities");
    }

    @Test
    void keyValueArgumentsReachTheServer() throws Exception {
        CliRunner.Result r = script("human-monitor-command command-line='info status'\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("\"VM status: running\\r\\n\"\n");
        server.takeCommand(WAIT);
        RecordedCommand hmp = server.takeCommand(WAIT);
        assertThat(hmp.arguments()).isEqualTo(QmpJson.mapper().readTree("{\"command-line\":\"info status\"}"));
    }

    @Test
    void rawJsonCommandsReachTheServer() throws Exception {
        CliRunner.Result r = script("{\"execute\": \"human-monitor-command\","
                + " \"arguments\": {\"command-line\": \"info version\"}, \"id\": 7}\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        server.takeCommand(WAIT);
        RecordedCommand hmp = server.takeCommand(WAIT);
        assertThat(hmp.raw()).isEqualTo(
                "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info version\"}}");
    }

    @Test
    void blankLinesAndCommentsAreSkipped() throws Exception {
        CliRunner.Result r = script("\n   \n# a comment\nquery-status\n");

        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(received()).containsExactly("qmp_capabilities", "query-status");
    }

    @Test
    void aScriptStopsAtTheFirstQmpErrorWithExitThree() throws Exception {
        CliRunner.Result r = script("query-status\nbogus\nstop\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).endsWith("CommandNotFound: The command bogus has not been found\n");
        assertThat(received()).containsExactly("qmp_capabilities", "query-status", "bogus");
    }

    @Test
    void aScriptStopsAtAMalformedLineWithExitTwo() throws Exception {
        CliRunner.Result r = script("device_add driver\nstop\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).endsWith("qmp4j: expected key=value, got 'driver'\n");
        assertThat(received()).containsExactly("qmp_capabilities");
    }

    @Test
    void aScriptStopsAtAnUnknownBuiltInWithExitTwo() {
        CliRunner.Result r = script("/frobnicate\n");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown built-in /frobnicate; try /help");
    }

    @Test
    void aTimeoutEndsAScriptWithExitFour() {
        server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));

        CliRunner.Result r = script("query-status\nquery-status\n", "--timeout", "300ms");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("qmp4j: timeout: query-status: no reply within 300 ms");
    }

    @Test
    void aLostConnectionEndsTheShellWithExitFourEvenInteractively() {
        server.enqueue(ScriptedReply.ofFault(Fault.CLOSE_AFTER_REQUEST));

        CliRunner.Result r = CliRunner.run("query-status\nquery-status\n", true, "shell", "-s", socket, "--no-validate");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("qmp4j: connection closed");
    }

    @Test
    void quitEndsTheShellWithExitZeroAfterTheShutdownEvent() throws Exception {
        CliRunner.Result r = script("quit\nquery-status\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).startsWith("event SHUTDOWN {").contains("\"reason\":\"host-qmp-quit\"").endsWith("}\n{}\n");
        assertThat(received()).containsExactly("qmp_capabilities", "quit");
    }

    @Test
    void slashQuitEndsTheShell() throws Exception {
        assertThat(script("/quit\nquery-status\n").exitCode()).isEqualTo(0);
        assertThat(received()).containsExactly("qmp_capabilities");
    }

    @Test
    void eventsCanBeTurnedOff() {
        CliRunner.Result r = script("/events off\nstop\n/events\n/events on\ncont\n");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).doesNotContain("event STOP").contains("events are off\n").contains("event RESUME");
    }

    @Test
    void interactiveShellPromptsAndCarriesOnAfterErrors() throws Exception {
        CliRunner.Result r = CliRunner.run("bogus\nx a\n/nope\n/help\nquery-status\n", true, "shell", "-s", socket, "--no-validate");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).startsWith(ShellOutput.PROMPT).contains("/events [on|off]").contains("\"status\": \"running\"")
                .endsWith(ShellOutput.PROMPT + "\n");
        assertThat(r.err()).contains("/help for help", "CommandNotFound: The command bogus has not been found",
                "expected key=value, got 'a'", "unknown built-in /nope");
        assertThat(received()).containsExactly("qmp_capabilities", "bogus", "query-status");
    }

    @Test
    void eventsArrivingWhileIdleArePrintedAndThePromptIsShownAgain() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<CliRunner.Result> shell = CompletableFuture.supplyAsync(
                () -> CliRunner.run(stdin, true, out, err, "shell", "-s", socket, "--no-validate"));

        typing.write("query-status\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        awaitTrue(() -> out.toString().endsWith("}\n" + ShellOutput.PROMPT));
        assertThat(server.emitEvent("DEVICE_DELETED", QmpJson.mapper().readTree("{\"device\":\"nic1\"}"))).isTrue();
        awaitTrue(() -> out.toString().contains("DEVICE_DELETED"));
        typing.close();
        CliRunner.Result r = shell.get(5, TimeUnit.SECONDS);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).containsPattern(
                "\\}\n\\Q" + ShellOutput.PROMPT + "\\E\nevent DEVICE_DELETED \\{\"timestamp\":\\{[^}]*},"
                        + "\"data\":\\{\"device\":\"nic1\"}}\n\\Q" + ShellOutput.PROMPT + "\\E");
    }

    @Test
    void anInteractiveShellSaysWhenQemuGoesAwayAndLeavesWithExitFour() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(typing);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<CliRunner.Result> shell = CompletableFuture.supplyAsync(
                () -> CliRunner.run(stdin, true, out, err, "shell", "-s", socket, "--no-validate"));
        awaitTrue(() -> out.toString().equals(ShellOutput.PROMPT));

        server.close();
        awaitTrue(() -> err.toString().contains("qmp4j: QEMU closed the connection"));
        typing.write("query-status\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        CliRunner.Result r = shell.get(5, TimeUnit.SECONDS);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).endsWith("qmp4j: the connection to QEMU is closed\n");
        typing.close();
    }

    @Test
    void quitDoesNotReportTheClosedConnectionAsNews() {
        CliRunner.Result r = CliRunner.run("quit\n", true, "shell", "-s", socket, "--no-validate");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
        assertThat(r.err()).contains("qmp4j: QEMU quit").doesNotContain("closed the connection");
    }

    @Test
    void machineOptionsAreRefusedWithASocket() throws Exception {
        CliRunner.Result r = script("", "--machine", "pc");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--machine and --paused apply only to the QEMU the shell starts itself");
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aMissingSocketIsExitFour() {
        CliRunner.Result r = CliRunner.run("", false, "shell", "-s", socket + ".missing");

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).startsWith("qmp4j: cannot connect to QMP socket ");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
