package io.qmp4j.qga;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a program run by {@link QgaConnection#exec} ended ({@code guest-exec-status} once
 * {@code exited} was true), with its output decoded from base64.
 *
 * <p>The agent keeps at most 16 MiB of each stream; beyond that it drops the rest and says so
 * in {@link #stdoutTruncated()} / {@link #stderrTruncated()}.
 *
 * @param pid             the guest process id
 * @param exitCode        the exit status, empty when the program was killed by a signal
 * @param signal          the signal that killed it, empty when it exited normally
 * @param stdout          everything it wrote to stdout (shared array: do not modify)
 * @param stderr          everything it wrote to stderr (shared array: do not modify)
 * @param stdoutTruncated whether the agent dropped part of stdout
 * @param stderrTruncated whether the agent dropped part of stderr
 */
public record QgaExecResult(long pid, OptionalInt exitCode, OptionalInt signal, byte[] stdout, byte[] stderr,
        boolean stdoutTruncated, boolean stderrTruncated) {
    /** Checks that the parts are present. */
    public QgaExecResult {
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** Whether the program exited normally with status 0. */
    public boolean succeeded() {
        return exitCode.isPresent() && exitCode.getAsInt() == 0;
    }

    /** {@link #stdout()} as UTF-8 text (malformed bytes replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** {@link #stderr()} as UTF-8 text (malformed bytes replaced). */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** Equal when every field is, the output compared by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof QgaExecResult r && pid == r.pid && exitCode.equals(r.exitCode) && signal.equals(r.signal)
                && Arrays.equals(stdout, r.stdout) && Arrays.equals(stderr, r.stderr)
                && stdoutTruncated == r.stdoutTruncated && stderrTruncated == r.stderrTruncated;
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(pid, exitCode, signal, Arrays.hashCode(stdout), Arrays.hashCode(stderr), stdoutTruncated,
                stderrTruncated);
    }

    @Override
    public String toString() {
        return "QgaExecResult[pid=" + pid + ", " + (exitCode.isPresent() ? "exit " + exitCode.getAsInt()
                : "signal " + signal.orElse(-1)) + ", stdout " + stdout.length + " bytes, stderr " + stderr.length
                + " bytes" + (stdoutTruncated || stderrTruncated ? ", truncated" : "") + "]";
    }
}
