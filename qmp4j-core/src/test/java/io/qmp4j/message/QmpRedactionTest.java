package io.qmp4j.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QmpRedactionTest {

    @Test
    void masksSecretNamedMembersAtAnyDepthAndKeepsTheRest() {
        String shown = QmpRedaction.redactedRequest("blockdev-add", Map.of("driver", "luks", "node-name", "d0",
                "key-secret", "sec0", "file", Map.of("driver", "nbd", "tls-creds", "t0",
                        "auth", List.of(Map.of("password", "hunter2", "user", "me")))));
        assertThat(shown).doesNotContain("hunter2").doesNotContain("sec0").contains("\"user\":\"me\"")
                .contains("\"node-name\":\"d0\"").contains("\"tls-creds\":\"t0\"").contains(QmpRedaction.MASK);
    }

    @Test
    void masksSetPasswordAndChangeVncPassword() {
        assertThat(QmpRedaction.redactedRequest("set_password",
                Map.of("protocol", "vnc", "password", "s3cret", "connected", "keep")))
                .doesNotContain("s3cret").contains("\"protocol\":\"vnc\"");
        assertThat(QmpRedaction.redactedRequest("change-vnc-password", Map.of("password", "s3cret")))
                .doesNotContain("s3cret");
    }

    @Test
    void masksTheDataOfSecretObjectsOnly() {
        assertThat(QmpRedaction.redactedRequest("object-add",
                Map.of("qom-type", "secret", "id", "sec0", "data", "letmein", "format", "raw")))
                .doesNotContain("letmein").contains("\"id\":\"sec0\"");
        assertThat(QmpRedaction.redactedRequest("object-add",
                Map.of("qom-type", "memory-backend-ram", "id", "m0", "size", 1024)))
                .contains("\"size\":1024");
    }

    @Test
    void masksHmpCommandLinesThatCarrySecrets() {
        assertThat(QmpRedaction.redactedRequest("human-monitor-command",
                Map.of("command-line", "set_password vnc hunter2")))
                .doesNotContain("hunter2").contains("set_password " + QmpRedaction.MASK);
        assertThat(QmpRedaction.redactedRequest("human-monitor-command",
                Map.of("command-line", "object_add secret,id=s0,data=letmein")))
                .doesNotContain("letmein");
        assertThat(QmpRedaction.redactedRequest("human-monitor-command", Map.of("command-line", "info status")))
                .contains("info status");
    }

    @Test
    void leavesTheInputUntouched() {
        JsonNode args = QmpJson.mapper().valueToTree(Map.of("password", "x"));
        QmpRedaction.redactArguments("set_password", args);
        assertThat(args.path("password").asText()).isEqualTo("x");
        assertThat(QmpRedaction.redactArguments("query-status", null)).isNull();
    }

    @Test
    void namesThatLookSecretAreRecognised() {
        assertThat(List.of("password", "new-password", "Passphrase", "key-secret", "keysecret", "psk", "token",
                "private-key", "key")).allMatch(QmpRedaction::isSecretName);
        assertThat(List.of("node-name", "keys", "driver", "tls-creds", "hotkey-grab", "id"))
                .noneMatch(QmpRedaction::isSecretName);
    }
}
