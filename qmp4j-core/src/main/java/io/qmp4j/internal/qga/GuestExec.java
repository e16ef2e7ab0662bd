package io.qmp4j.internal.qga;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.qga.QgaExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** {@code guest-exec} then {@code guest-exec-status} until the program has exited. Caller thread. */
public final class GuestExec {
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long LAST_POLL_MILLIS = 200;

    private GuestExec() {
    }

    /**
     * Starts {@code path} in the guest with output captured and polls (5 ms, doubling to 200 ms)
     * until it exits or {@code timeout} passes.
     *
     * @throws QmpTimeoutException when it is still running after {@code timeout}; it keeps running
     */
    public static QgaExecResult run(AgentCalls agent, String path, List<String> args, Map<String, String> env,
            byte[] input, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode started = agent.execute("guest-exec", request(path, args, env, input));
        if (!started.path("pid").canConvertToLong()) {
            throw new QmpProtocolException("guest-exec: the agent returned no pid: " + started);
        }
        long pid = started.get("pid").asLong();
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            JsonNode status = agent.execute("guest-exec-status", Map.of("pid", pid));
            if (status.path("exited").asBoolean(false)) {
                return result(pid, status);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new QmpTimeoutException("guest-exec " + path + ": guest pid " + pid + " did not exit within "
                        + timeout.toMillis() + " ms; it may still be running in the guest", timeout);
            }
            Waits.sleep(Math.min(pause, left), "waiting for guest pid " + pid + " (" + path + ")");
            pause = Math.min(LAST_POLL_MILLIS, pause * 2);
        }
    }

    static Map<String, Object> request(String path, List<String> args, Map<String, String> env, byte[] input) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("guest-exec needs a program path, got '" + path + "'");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("path", path);
        if (args != null && !args.isEmpty()) {
            request.put("arg", List.copyOf(args));
        }
        if (env != null && !env.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            env.forEach((k, v) -> pairs.add(k + "=" + v));
            request.put("env", pairs);
        }
        if (input != null) {
            request.put("input-data", Base64.getEncoder().encodeToString(input));
        }
        request.put("capture-output", true);
        return request;
    }

    static QgaExecResult result(long pid, JsonNode s) {
        OptionalInt exit = s.has("exitcode") ? OptionalInt.of(s.get("exitcode").asInt()) : OptionalInt.empty();
        OptionalInt signal = s.has("signal") ? OptionalInt.of(s.get("signal").asInt()) : OptionalInt.empty();
        return new QgaExecResult(pid, exit, signal, decode(s, "out-data"), decode(s, "err-data"),
                s.path("out-truncated").asBoolean(false), s.path("err-truncated").asBoolean(false));
    }

    private static byte[] decode(JsonNode status, String field) {
        String b64 = status.path(field).asText("");
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new QmpProtocolException("guest-exec-status: " + field + " is not base64: " + e.getMessage(), e);
        }
    }
}
