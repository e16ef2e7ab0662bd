package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmp4j.QmpValidationException;
import io.qmp4j.api.events.EventTypes;
import io.qmp4j.api.events.QemuEvent;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.schema.SchemaEvent;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The typed API covers every command and event of the bundled (captured) schema. */
class QemuApiCoverageTest {
    private final QmpSchema schema = QemuApi.bundledSchema();

    private static String camel(String name) {
        String[] parts = name.split("[-_]");
        StringBuilder s = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            s.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return s.toString();
    }

    @Test
    void theBundledSchemaIsQemu72s() {
        assertThat(QemuApi.SCHEMA_QEMU_VERSION).startsWith("7.2.");
        assertThat(schema.commands()).hasSize(216);
        assertThat(schema.events()).hasSize(52);
    }

    @Test
    void everyCommandHasASyncAndAnAsyncMethod() {
        Set<String> methods = Arrays.stream(QemuApi.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (SchemaCommand c : schema.commands()) {
            if (!methods.contains(camel(c.name())) || !methods.contains(camel(c.name()) + "Async")) {
                missing.add(c.name());
            }
        }
        assertThat(missing).isEmpty();
        for (Method m : QemuApi.class.getMethods()) {
            if (m.getName().endsWith("Async")) {
                assertThat(m.getReturnType()).isEqualTo(CompletableFuture.class);
            }
        }
    }

    @Test
    void everyEventHasARecord() {
        for (SchemaEvent e : schema.events()) {
            Class<? extends QemuEvent> type = EventTypes.forName(e.name()).orElseThrow();
            assertThat(type.isRecord()).isTrue();
            assertThat(EventTypes.nameOf(type)).isEqualTo(e.name());
        }
        assertThat(QemuEvent.class.getPermittedSubclasses()).hasSize(schema.events().size());
    }

    @Test
    void theBundledSchemaValidatesOffline() throws Exception {
        ObjectMapper json = new ObjectMapper();
        schema.validate("blockdev-add", json.readTree("{\"driver\":\"null-co\",\"node-name\":\"n\",\"size\":4096}"));
        assertThatThrownBy(() -> schema.validate("blockdev-add", json.readTree("{\"drivr\":\"null-co\"}")))
                .isInstanceOf(QmpValidationException.class)
                .hasMessageEndingWith("did you mean 'driver'?")
                .hasMessageStartingWith("blockdev-add: arguments.drivr: unknown argument;");
        assertThatThrownBy(() -> schema.validate("device-add", null)).isInstanceOf(QmpValidationException.class)
                .hasMessage("device-add: execute: unknown command; did you mean 'device_add'?");
    }
}
