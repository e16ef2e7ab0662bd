package io.qmp4j.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets before a request or reply is shown anywhere (log lines, exception texts, the
 * command line's echo). Values are replaced by {@value #MASK}; the JSON structure stays.
 *
 * <p>What counts as secret:
 * <ul>
 *   <li>members whose name, ignoring case, contains {@code password}, {@code passwd},
 *       {@code passphrase}, {@code secret} or {@code token}, or is {@code psk},
 *       {@code private-key} or {@code key} (as in {@code set_password}, {@code change-vnc-password},
 *       {@code key-secret}, {@code keysecret});</li>
 *   <li>{@code data} of {@code object-add} for {@code secret} and {@code secret_keyring} objects
 *       (the secret itself, or the key material);</li>
 *   <li>in {@code human-monitor-command}, the rest of a {@code command-line} after
 *       {@code set_password}, {@code change vnc password}, {@code object_add secret} or
 *       {@code object_add ... secret}.</li>
 * </ul>
 * Thread-safe; the input is never modified.
 */
public final class QmpRedaction {
    /** What a secret value is replaced with. */
    public static final String MASK = "<redacted>";
    private static final Pattern SECRET_NAME = Pattern.compile("password|passwd|passphrase|secret|token");
    private static final Pattern HMP_SECRET = Pattern.compile(
            "^\\s*(set_password|change\\s+vnc\\s+password|object_add\\s+(secret|.*qom-type=secret))", Pattern.CASE_INSENSITIVE);

    private QmpRedaction() {
    }

    /** Whether a member named {@code name} holds a secret. */
    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_NAME.matcher(n).find() || n.equals("psk") || n.equals("private-key") || n.equals("key");
    }

    /**
     * A copy of {@code arguments} of {@code command} with secrets masked; {@code arguments} may
     * be {@code null}, a {@link JsonNode} or a {@link Map}.
     */
    public static JsonNode redactArguments(String command, Object arguments) {
        if (arguments == null) {
            return null;
        }
        JsonNode tree = arguments instanceof JsonNode j ? j.deepCopy() : QmpJson.mapper().valueToTree(arguments);
        mask(tree);
        if (tree instanceof ObjectNode o) {
            if ("object-add".equals(command) && isSecretObject(o) && o.has("data")) {
                o.put("data", MASK);
            }
            if ("human-monitor-command".equals(command) && o.path("command-line").isTextual()) {
                String line = o.get("command-line").asText();
                var m = HMP_SECRET.matcher(line);
                if (m.find()) {
                    o.put("command-line", line.substring(0, m.end(1)) + " " + MASK);
                }
            }
        }
        return tree;
    }

    /** The request as compact JSON with secrets masked, for display only (never sent). */
    public static String redactedRequest(String command, Object arguments) {
        ObjectNode request = QmpJson.mapper().createObjectNode();
        request.put("execute", command);
        JsonNode args = redactArguments(command, arguments);
        if (args != null) {
            request.set("arguments", args);
        }
        return request.toString();
    }

    /** A copy of any JSON value (a reply, an event) with secret-named members masked. */
    public static JsonNode redact(JsonNode value) {
        if (value == null) {
            return null;
        }
        JsonNode copy = value.deepCopy();
        mask(copy);
        return copy;
    }

    private static boolean isSecretObject(ObjectNode o) {
        String type = o.path("qom-type").asText("");
        return type.equals("secret") || type.equals("secret_keyring");
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (isSecretName(e.getKey()) && !e.getValue().isContainerNode() && !e.getValue().isNull()) {
                    e.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(QmpRedaction::mask);
        }
    }
}
