package io.qmp4j.qga;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's answer to {@code guest-info}: its version and the commands it knows.
 *
 * @param version  the agent's version, for example {@code 7.2.22}
 * @param commands every command it knows, enabled or not
 */
public record QgaInfo(String version, List<QgaCommandInfo> commands) {
    /** Copies the list. */
    public QgaInfo {
        Objects.requireNonNull(version, "version");
        commands = List.copyOf(commands);
    }

    /** Whether the agent knows {@code command} and has it enabled. */
    public boolean supports(String command) {
        return commands.stream().anyMatch(c -> c.name().equals(command) && c.enabled());
    }

    static QgaInfo of(JsonNode json) {
        List<QgaCommandInfo> commands = new ArrayList<>();
        for (JsonNode c : json.path("supported_commands")) {
            commands.add(new QgaCommandInfo(c.path("name").asText(), c.path("enabled").asBoolean(true),
                    c.path("success-response").asBoolean(true)));
        }
        return new QgaInfo(json.path("version").asText(""), commands);
    }
}
