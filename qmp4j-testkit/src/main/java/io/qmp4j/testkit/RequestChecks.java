package io.qmp4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Checks the shape of a request the way QEMU 7.2's {@code qmp_dispatch_check_obj} does, with its
 * exact error texts (QMP spec, section 2.3). Internal; stateless.
 */
final class RequestChecks {
    private RequestChecks() {}

    /**
     * Returns QEMU's GenericError description for a malformed request, or null if it is well formed.
     *
     * @param request the parsed request
     * @param oobEnabled whether the connection negotiated "oob", which makes "exec-oob" legal
     */
    static String problem(JsonNode request, boolean oobEnabled) {
        if (!request.isObject()) {
            return "QMP input must be a JSON object";
        }
        for (Map.Entry<String, JsonNode> member : request.properties()) {
            String problem = memberProblem(member.getKey(), member.getValue(), oobEnabled);
            if (problem != null) {
                return problem;
            }
        }
        boolean execute = request.has("execute");
        boolean execOob = request.has("exec-oob");
        if (execute && execOob) {
            return "QMP input member 'execute' clashes with 'exec-oob'";
        }
        return execute || execOob ? null : "QMP input lacks member 'execute'";
    }

    private static String memberProblem(String key, JsonNode value, boolean oobEnabled) {
        switch (key) {
            case "exec-oob":
                if (!oobEnabled) {
                    return "QMP input member 'exec-oob' is unexpected";
                }
                return value.isTextual() ? null : "QMP input member 'exec-oob' must be a string";
            case "execute":
                return value.isTextual() ? null : "QMP input member 'execute' must be a string";
            case "arguments":
                return value.isObject() ? null : "QMP input member 'arguments' must be an object";
            case "id":
                return null;
            default:
                return "QMP input member '" + key + "' is unexpected";
        }
    }
}
