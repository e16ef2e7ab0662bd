package io.qmp4j.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the {@code qmp4j} command in-process with captured stdout and stderr; never exits the JVM. */
final class CliRunner {

    /** The outcome of one run. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    private CliRunner() {
    }

    /** Runs {@code args} with empty, non-interactive stdin. */
    static Result run(String... args) {
        return run("", false, args);
    }

    /** Runs {@code args} reading {@code stdin} (non-interactive unless {@code interactive}). */
    static Result run(String stdin, boolean interactive, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), interactive,
                new StringWriter(), new StringWriter(), args);
    }

    /** Runs {@code args} with the given streams, so a test can watch output while it runs. */
    static Result run(InputStream stdin, boolean interactive, StringWriter out, StringWriter err, String... args) {
        int code = Main.configure(new CommandLine(new Main(stdin, interactive)))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
