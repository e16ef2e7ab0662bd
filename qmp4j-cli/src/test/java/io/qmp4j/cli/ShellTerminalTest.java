package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qmp4j.message.QmpJson;
import io.qmp4j.testkit.FakeQmpServer;
import io.qmp4j.testkit.Fault;
import io.qmp4j.testkit.RecordedCommand;
import io.qmp4j.testkit.ScriptedReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JLine shell driven in-process as a person would type: keys go into a terminal emulated by
 * JLine (xterm, with its line discipline, so Ctrl-C raises SIGINT), the screen output is read
 * back with its escape codes removed. Against the fake server, which answers the schema fetch
 * with an excerpt of QEMU 7.2's real schema.
 */
class ShellTerminalTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ANSI = "\u001b\\[[0-9;?]*[a-zA-Z]|\u001b[=>]|\r";

    @TempDir
    Path dir;

    private FakeQmpServer server;
    private Path history;

    /** One running shell: its keyboard and its screen. */
    private final class Shell implements AutoCloseable {
        final PipedOutputStream keys = new PipedOutputStream();
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> exit;

        Shell(String... extraArgs) throws IOException {
            Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").size(new Size(160, 50))
                    .streams(new PipedInputStream(keys, 4096), screen).build();
            Attributes tty = terminal.getAttributes(); // as a real terminal: Ctrl-C raises SIGINT
            tty.setLocalFlag(Attributes.LocalFlag.ISIG, true);
            tty.setControlChar(Attributes.ControlChar.VINTR, 3);
            terminal.setAttributes(tty);
            List<String> args = new ArrayList<>(List.of("shell", "-s", server.socketPath().toString(), "--no-validate",
                    "--history", history.toString()));
            args.addAll(List.of(extraArgs));
            Main main = new Main(new ByteArrayInputStream(new byte[0]), true).terminal(terminal);
            exit = new CompletableFuture<>();
            Thread thread = new Thread(() -> exit.complete(new picocli.CommandLine(main)
                    .setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                    .execute(args.toArray(String[]::new))), "shell-under-test");
            thread.setDaemon(true);
            thread.start();
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        String text() {
            return screen.toString(StandardCharsets.UTF_8).replaceAll(ANSI, "");
        }

        void awaitText(String expected) throws InterruptedException {
            awaitTrue(() -> text().contains(expected),
                    () -> "screen lacks " + expected + ":\n" + text() + "\n--- stderr ---\n" + err);
        }

        int exitCode() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            keys.close();
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeQmpServer();
        server.start();
        history = dir.resolve("config/qmp4j/history");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private void enqueueSchema() {
        server.enqueue(ScriptedReply.ofReturnJson(SchemaFixture.json().toString()));
        StringBuilder names = new StringBuilder("[");
        for (String c : SchemaFixture.COMMANDS) {
            names.append(names.length() > 1 ? "," : "").append("{\"name\":\"").append(c).append("\"}");
        }
        server.enqueue(ScriptedReply.ofReturnJson(names.append("]").toString()));
    }

    /** The commands the server received after the handshake and the shell's schema fetch. */
    private List<RecordedCommand> typedCommands() throws InterruptedException {
        List<RecordedCommand> typed = new ArrayList<>();
        for (RecordedCommand c; (c = server.takeCommand(Duration.ofMillis(300))) != null; ) {
            if (!List.of("qmp_capabilities", "query-qmp-schema", "query-commands").contains(c.name())) {
                typed.add(c);
            }
        }
        return typed;
    }

    private List<String> typedCommandNames() throws InterruptedException {
        return typedCommands().stream().map(RecordedCommand::name).toList();
    }

    @Test
    void tabCompletesCommandsArgumentsAndValuesThenRunsTheLine() throws Exception {
        enqueueSchema();
        try (Shell shell = new Shell()) {
            shell.type("/help STOP\r"); // waits for the schema
            shell.awaitText("event STOP\ndata: none");
            shell.type("query-sta\t");
            shell.awaitText("(QEMU) query-status");
            shell.type("\r");
            shell.awaitText("\"running\": true");
            shell.type("human-monitor-command comm\t'info status'\r");
            shell.awaitText("human-monitor-command command-line='info status'");
            shell.type("\u0004");

            assertThat(shell.exitCode()).isZero();
        }
        assertThat(typedCommandNames()).containsExactly("query-status", "human-monitor-command");
    }

    @Test
    void repliesAreColouredUnlessNoColorIsGiven() throws Exception {
        try (Shell shell = new Shell()) {
            shell.type("query-status\r");
            awaitTrue(() -> shell.screen.toString(StandardCharsets.UTF_8).contains(JsonText.KEY + "\"status\""),
                    () -> "no coloured key in: " + shell.text());
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
        try (Shell shell = new Shell("--no-color", "--compact")) {
            shell.type("query-status\r");
            shell.awaitText("{\"status\":\"running\",\"singlestep\":false,\"running\":true}");
            assertThat(shell.screen.toString(StandardCharsets.UTF_8)).doesNotContain(JsonText.KEY);
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
    }

    @Test
    void anEventArrivingWhileTypingIsPrintedAboveTheUnfinishedLine() throws Exception {
        try (Shell shell = new Shell()) {
            shell.awaitText(ShellOutput.PROMPT);
            shell.type("device_del id=ni");
            shell.awaitText("(QEMU) device_del id=ni");
            int before = shell.text().length();
            assertThat(server.emitEvent("DEVICE_DELETED", QmpJson.mapper().readTree("{\"device\":\"nic0\"}"))).isTrue();
            shell.awaitText("\"data\":{\"device\":\"nic0\"}");
            String after = shell.text().substring(before);
            assertThat(after).containsPattern("event DEVICE_DELETED \\{.*\"device\":\"nic0\"\\}\\}\\s*\n"
                    + "\\Q(QEMU) device_del id=ni\\E");
            shell.type("c1\r");
            shell.awaitText("(QEMU) device_del id=nic1");
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
        assertThat(typedCommands()).extracting(RecordedCommand::raw)
                .containsExactly("{\"execute\":\"device_del\",\"arguments\":{\"id\":\"nic1\"}}");
    }

    @Test
    void ctrlCCancelsTheLineAndThenTheCommandBeingWaitedFor() throws Exception {
        enqueueSchema();
        server.enqueue(ScriptedReply.ofFault(Fault.NEVER_REPLY));
        try (Shell shell = new Shell("--timeout", "30s")) {
            shell.awaitText(ShellOutput.PROMPT);
            shell.type("stop and do not send this");
            shell.awaitText("do not send this");
            shell.type("\u0003");
            awaitTrue(() -> shell.text().endsWith("\n" + ShellOutput.PROMPT), () -> "no new prompt:\n" + shell.text());
            shell.type("query-status\r");
            shell.awaitText("(QEMU) query-status");
            awaitTrue(() -> server.commandCount() >= 4, () -> "query-status not sent");
            long start = System.nanoTime();
            shell.type("\u0003");
            shell.awaitText("qmp4j: cancelled query-status; QEMU may still run it");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
            shell.type("/events\r"); // the shell is back at the prompt
            shell.awaitText("events are on");
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
        assertThat(typedCommandNames()).as("the cancelled line was never sent")
                .containsExactly("query-status");
    }

    @Test
    void historyIsKeptAcrossRunsAndRecalledWithTheUpArrow() throws Exception {
        try (Shell shell = new Shell()) {
            shell.type("human-monitor-command command-line='info status'\r");
            shell.awaitText("VM status");
            shell.type("/quit\r");
            assertThat(shell.exitCode()).isZero();
        }
        assertThat(Files.readString(history)).contains("human-monitor-command command-line='info status'");
        assertThat(Files.getPosixFilePermissions(history)).hasSize(2); // rw for the owner only
        try (Shell shell = new Shell()) {
            shell.awaitText(ShellOutput.PROMPT);
            shell.type("\u001bOA"); // up (xterm in keypad mode): the previous run's last line
            shell.awaitText("(QEMU) /quit");
            shell.type("\u001bOA\r");
            awaitTrue(() -> shell.text().split("VM status", -1).length == 2, () -> shell.text());
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
    }

    @Test
    void hmpModeSendsLinesToTheHumanMonitor() throws Exception {
        try (Shell shell = new Shell("--hmp")) {
            shell.awaitText(ShellOutput.HMP_PROMPT);
            shell.type("info status\r");
            shell.awaitText("VM status: running\n");
            shell.type("/hmp\r");
            shell.awaitText("QMP mode");
            shell.type("\u0004");
            assertThat(shell.exitCode()).isZero();
        }
        assertThat(typedCommands()).extracting(RecordedCommand::raw).containsExactly(
                "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info status\"}}");
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(message).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
