package io.qmp4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.message.QmpJson;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Colours, {@code --where} conditions and the history file's place. */
class ShellTextTest {
    private static final String ANSI = "\u001b\\[[0-9;]*m";

    private static JsonNode json(String text) throws Exception {
        return QmpJson.mapper().readTree(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "1", "\"a\\\"b\"", "null", "{\"a\":[1,2.5,{\"b\":[]}],\"c\":{},\"d\":true}",
        "[{\"x\":\"y\"},null,false]"})
    void colouredJsonIsThePlainLayoutWithEscapeCodes(String text) throws Exception {
        JsonNode node = json(text);
        assertThat(JsonText.colored(node, true).replaceAll(ANSI, "")).isEqualTo(JsonText.pretty(node));
        assertThat(JsonText.colored(node, false).replaceAll(ANSI, "")).isEqualTo(JsonText.compact(node));
    }

    @Test
    void keysStringsNumbersAndLiteralsGetTheirColours() throws Exception {
        assertThat(JsonText.colored(json("{\"k\":\"v\",\"n\":1,\"b\":null}"), false)).isEqualTo("{"
                + JsonText.KEY + "\"k\"" + JsonText.RESET + ":" + JsonText.STRING + "\"v\"" + JsonText.RESET + ","
                + JsonText.KEY + "\"n\"" + JsonText.RESET + ":" + JsonText.NUMBER + "1" + JsonText.RESET + ","
                + JsonText.KEY + "\"b\"" + JsonText.RESET + ":" + JsonText.LITERAL + "null" + JsonText.RESET + "}");
    }

    @Test
    void whereConditionsCompareJsonOrText() throws Exception {
        JsonNode data = json("{\"device\":\"nic1\",\"n\":3,\"ok\":false,\"job\":{\"id\":\"j1\"}}");
        assertThat(DataCondition.parse("device=nic1").test(data)).isTrue();
        assertThat(DataCondition.parse("device=nic2").test(data)).isFalse();
        assertThat(DataCondition.parse("n=3").test(data)).isTrue();
        assertThat(DataCondition.parse("n='3'").test(data)).isTrue();
        assertThat(DataCondition.parse("n=4").test(data)).isFalse();
        assertThat(DataCondition.parse("ok=false").test(data)).isTrue();
        assertThat(DataCondition.parse("ok=true").test(data)).isFalse();
        assertThat(DataCondition.parse("job.id=j1").test(data)).isTrue();
        assertThat(DataCondition.parse("job.id.x=j1").test(data)).isFalse();
        assertThat(DataCondition.parse("missing=x").test(data)).isFalse();
        assertThatThrownBy(() -> DataCondition.parse("device")).hasMessageContaining("expected key=value");
        assertThatThrownBy(() -> DataCondition.parse("a..b=1")).hasMessageContaining("empty part");
    }

    @Test
    void historyLivesInTheXdgConfigDirectoryOrUnderHome() {
        assertThat(ConfigDir.historyFile(Map.of("XDG_CONFIG_HOME", "/cfg"), "/home/u"))
                .isEqualTo(Path.of("/cfg/qmp4j/history"));
        assertThat(ConfigDir.historyFile(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.config/qmp4j/history"));
        assertThat(ConfigDir.historyFile(Map.of("XDG_CONFIG_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.config/qmp4j/history"));
    }
}
