package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The commands {@link FakeQmpServer} answers by itself, as QEMU 7.2 does, and the run state they
 * share across connections (running or paused). Internal; thread-safe.
 *
 * <p>Texts were copied from QEMU 7.2's replies; see the tests for the transcripts.
 */
final class BuiltinCommands {
    /** The commands listed by {@code query-commands}, in the order they are listed. */
    static final List<String> NAMES =
            List.of(
                    "qmp_capabilities",
                    "query-status",
                    "stop",
                    "cont",
                    "quit",
                    "query-version",
                    "query-commands",
                    "human-monitor-command");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String GENERIC = "GenericError";

    private final ServerConfig config;
    private final AtomicBoolean running = new AtomicBoolean(true);

    BuiltinCommands(ServerConfig config) {
        this.config = config;
    }

    /**
     * Returns QEMU's reply to a negotiated, well-formed command other than {@code qmp_capabilities},
     * applying its effect on the run state. Runs on the session thread.
     */
    ScriptedReply reply(RecordedCommand command) {
        String name = command.name();
        if (!NAMES.contains(name) || name.equals("qmp_capabilities")) {
            return notFound(name);
        }
        if (command.outOfBand()) {
            return ScriptedReply.ofError(GENERIC, "The command " + name + " does not support OOB");
        }
        JsonNode arguments = command.arguments();
        String problem = parameterProblem(name, arguments);
        if (problem != null) {
            return ScriptedReply.ofError(GENERIC, problem);
        }
        switch (name) {
            case "query-status":
                return ScriptedReply.ofReturn(status());
            case "stop":
                return stop(NODES.objectNode());
            case "cont":
                return cont(NODES.objectNode());
            case "quit":
                return quit(NODES.objectNode());
            case "query-version":
                return ScriptedReply.ofReturn(version());
            case "query-commands":
                return ScriptedReply.ofReturn(commands());
            default:
                return humanMonitorCommand(arguments.get("command-line").asText());
        }
    }

    /** Returns QEMU's error for a command it does not know. */
    static ScriptedReply notFound(String name) {
        return ScriptedReply.ofError("CommandNotFound", "The command " + name + " has not been found");
    }

    /**
     * Returns QEMU's reply to {@code qmp_capabilities}: argument errors first, then "already
     * complete" if {@code negotiated}, then capabilities not offered. Runs on the session thread.
     */
    ScriptedReply capabilities(JsonNode arguments, boolean negotiated) {
        String problem = capabilitiesArgumentProblem(arguments);
        if (problem != null) {
            return ScriptedReply.ofError(GENERIC, problem);
        }
        if (negotiated) {
            return ScriptedReply.ofError(
                    "CommandNotFound", "Capabilities negotiation is already complete, command ignored");
        }
        List<String> unavailable = new ArrayList<>();
        JsonNode enable = arguments == null ? null : arguments.get("enable");
        if (enable != null) {
            enable.forEach(c -> {
                if (!config.capabilities().contains(c.asText())) {
                    unavailable.add(c.asText());
                }
            });
        }
        return unavailable.isEmpty()
                ? ScriptedReply.ofReturn(NODES.objectNode())
                : ScriptedReply.ofError(
                        GENERIC, "Capability " + String.join(", ", unavailable) + " not available");
    }

    private String capabilitiesArgumentProblem(JsonNode arguments) {
        if (arguments == null) {
            return null;
        }
        for (Map.Entry<String, JsonNode> member : arguments.properties()) {
            String field = member.getKey();
            if (!field.equals("enable")) {
                return "Parameter '" + field + "' is unexpected";
            }
        }
        JsonNode enable = arguments.get("enable");
        if (enable == null) {
            return null;
        }
        if (!enable.isArray()) {
            return "Invalid parameter type for 'enable', expected: array";
        }
        for (int i = 0; i < enable.size(); i++) {
            if (!enable.get(i).isTextual()) {
                return "Invalid parameter type for 'enable[" + i + "]', expected: string";
            }
            String capability = enable.get(i).asText();
            if (!capability.equals("oob") && !config.capabilities().contains(capability)) {
                // QEMU 7.2 really says 'null': its enum visitor has no parameter name here.
                return "Parameter 'null' does not accept value '" + capability + "'";
            }
        }
        return null;
    }

    /** Returns the run-state reply of {@code query-status}. */
    ObjectNode status() {
        boolean isRunning = running.get();
        return NODES.objectNode()
                .put("status", isRunning ? "running" : "paused")
                .put("singlestep", false)
                .put("running", isRunning);
    }

    private ScriptedReply stop(JsonNode returnValue) {
        ScriptedReply.Builder reply = ScriptedReply.builder().returns(returnValue);
        if (running.compareAndSet(true, false)) {
            reply.eventBefore("STOP", null);
        }
        return reply.build();
    }

    private ScriptedReply cont(JsonNode returnValue) {
        ScriptedReply.Builder reply = ScriptedReply.builder().returns(returnValue);
        if (running.compareAndSet(false, true)) {
            reply.eventBefore("RESUME", null);
        }
        return reply.build();
    }

    private ScriptedReply quit(JsonNode returnValue) {
        running.set(true); // the next connection meets a freshly started VM
        ObjectNode data = NODES.objectNode().put("guest", false).put("reason", "host-qmp-quit");
        return ScriptedReply.builder()
                .returns(returnValue)
                .eventBefore("SHUTDOWN", data)
                .closeAfterReply()
                .build();
    }

    private ObjectNode version() {
        return QmpWire.version(
                config.major(), config.minor(), config.micro(), config.packageName());
    }

    private static ArrayNode commands() {
        ArrayNode list = NODES.arrayNode();
        NAMES.forEach(name -> list.addObject().put("name", name));
        return list;
    }

    private ScriptedReply humanMonitorCommand(String commandLine) {
        String[] words = commandLine.trim().split("\\s+");
        String line = String.join(" ", words);
        TextNode empty = TextNode.valueOf("");
        switch (line) {
            case "":
                return ScriptedReply.ofReturn(empty);
            case "info status":
                String state = running.get() ? "running" : "paused";
                return ScriptedReply.ofReturn(TextNode.valueOf("VM status: " + state + "\r\n"));
            case "info version":
                String version = config.major() + "." + config.minor() + "." + config.micro();
                return ScriptedReply.ofReturn(TextNode.valueOf(version + config.packageName() + "\r\n"));
            case "stop":
                return stop(empty);
            case "cont":
            case "c":
                return cont(empty);
            case "quit":
            case "q":
                return quit(empty);
            default:
                String shown = words[0].equals("info") && words.length > 1 ? "info " + words[1] : words[0];
                return ScriptedReply.ofReturn(TextNode.valueOf("unknown command: '" + shown + "'\r\n"));
        }
    }

    private static String parameterProblem(String name, JsonNode arguments) {
        boolean hmp = name.equals("human-monitor-command");
        if (arguments != null) {
            for (Map.Entry<String, JsonNode> member : arguments.properties()) {
                String field = member.getKey();
                if (!hmp || !(field.equals("command-line") || field.equals("cpu-index"))) {
                    return "Parameter '" + field + "' is unexpected";
                }
            }
        }
        if (!hmp) {
            return null;
        }
        JsonNode commandLine = arguments == null ? null : arguments.get("command-line");
        if (commandLine == null) {
            return "Parameter 'command-line' is missing";
        }
        return commandLine.isTextual()
                ? null
                : "Invalid parameter type for 'command-line', expected: string";
    }
}
