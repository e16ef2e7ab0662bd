package io.qmp4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fake honest: the same requests go to real QEMU and to the fake, and the two
 * transcripts must match byte for byte, except for event timestamps. The fake is given QEMU's own
 * package string so the greeting can be compared too.
 */
@RequiresQemu
class FakeQmpServerTranscriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Requests sent one at a time; each gets exactly one reply, maybe after events. */
    private static final List<String> PLAIN_SESSION =
            List.of(
                    "{\"execute\":\"query-status\",\"id\":1}",
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"foo\"]},\"id\":\"x\"}",
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":\"oob\"}}",
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[1]}}",
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"foo\":1}}",
                    "{\"execute\":\"qmp_capabilities\",\"id\":{\"a\":[1,\"b\"]}}",
                    "{\"execute\":\"qmp_capabilities\",\"id\":4}",
                    "{\"execute\":\"query-status\"}",
                    "{\"execute\":\"nope\",\"id\":5}",
                    "{\"execute\":\"nope-\u00e9/\\u0001\\t\\\"\"}",
                    "{\"execute\":\"stop\",\"id\":6}",
                    "{\"execute\":\"stop\"}",
                    "{\"execute\":\"query-status\",\"id\":null}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info status\"}}",
                    "{\"execute\":\"cont\",\"id\":[true]}",
                    "{\"execute\":\"cont\"}",
                    "{\"execute\":\"query-version\"}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info version\"}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"bogus\"}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info foo\"}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"stop\"}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\" info  status\"}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"c\"}}",
                    "[1,2]",
                    "{\"foo\":1}",
                    "{\"execute\":1}",
                    "{\"execute\":\"query-status\",\"id\":1,\"extra\":2}",
                    "{\"execute\":\"query-status\",\"arguments\":[1]}",
                    "{\"id\":8}",
                    "{\"exec-oob\":\"query-status\",\"id\":9}",
                    "{\"execute\":\"stop\",\"arguments\":{\"a\":1}}",
                    "{\"execute\":\"quit\",\"id\":\"bye\"}");

    private static final List<String> OOB_SESSION =
            List.of(
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]},\"id\":2}",
                    "{\"exec-oob\":\"query-status\",\"id\":7}",
                    "{\"exec-oob\":\"x\",\"id\":3}",
                    "{\"exec-oob\":\"x\",\"execute\":\"y\",\"id\":4}",
                    "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":[\"oob\"]}}",
                    "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"quit\"}}");

    @Test
    void plainSessionMatchesQemu() throws Exception {
        assertSameTranscript(PLAIN_SESSION);
    }

    @Test
    void oobSessionMatchesQemu() throws Exception {
        assertSameTranscript(OOB_SESSION);
    }

    private static void assertSameTranscript(List<String> requests) throws Exception {
        List<String> real;
        try (QemuProcess qemu = QemuProcess.start()) {
            real = transcript(qemu.qmpSocket(), requests);
        }
        String qemuPackage = JSON.readTree(real.get(0)).path("QMP").path("version").path("package").asText();
        try (FakeQmpServer fake = FakeQmpServer.builder().packageName(qemuPackage).build()) {
            fake.start();
            List<String> faked = transcript(fake.socketPath(), requests);
            assertThat(normalized(faked)).containsExactlyElementsOf(normalized(real));
        }
    }

    /** Greeting, then per request every line up to its reply, then what follows the last one. */
    private static List<String> transcript(Path socket, List<String> requests) throws Exception {
        List<String> lines = new ArrayList<>();
        try (PlainQmpClient client = PlainQmpClient.connect(socket)) {
            lines.add(client.readLine());
            for (String request : requests) {
                lines.add(">> " + request);
                client.send(request);
                String line;
                do {
                    line = client.readLine();
                    lines.add(line);
                } while (isEvent(line));
            }
            lines.add("after last reply: [" + client.readUntilClosed(PlainQmpClient.WAIT) + "] closed");
        }
        return lines;
    }

    private static boolean isEvent(String line) throws Exception {
        JsonNode message = JSON.readTree(line);
        return message.isObject() && message.has("event");
    }

    private static List<String> normalized(List<String> lines) {
        return lines.stream()
                .map(l -> l.replaceAll("\"seconds\": \\d+, \"microseconds\": \\d+", "\"seconds\": S, \"microseconds\": U"))
                .collect(Collectors.toList());
    }
}
