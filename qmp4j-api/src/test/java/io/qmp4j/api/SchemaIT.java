package io.qmp4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpValidationException;
import io.qmp4j.QmpValidationException.Kind;
import io.qmp4j.schema.QmpSchema;
import io.qmp4j.schema.SchemaCommand;
import io.qmp4j.testkit.junit.RequiresQemu;
import io.qmp4j.testkit.qemu.QemuProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema of a real QEMU: fetched once, parsed, the same as the captured one, and used to validate. */
@RequiresQemu
class SchemaIT {
    private QemuProcess qemu;

    @BeforeEach
    void start() {
        qemu = QemuProcess.start();
    }

    @AfterEach
    void stop() {
        qemu.close();
    }

    @Test
    void theLiveSchemaIsFetchedOnceAndMatchesTheCapturedOne() throws Exception {
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).build()) {
            qmp.connect();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<QmpSchema>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(qmp::schema);
                }
                List<QmpSchema> schemas = new ArrayList<>();
                for (Future<QmpSchema> f : pool.invokeAll(calls)) {
                    schemas.add(f.get());
                }
                assertThat(schemas).allSatisfy(s -> assertThat(s).isSameAs(schemas.get(0)));
            } finally {
                pool.shutdownNow();
            }
            QmpSchema live = qmp.schema();
            QmpSchema captured = QemuApi.bundledSchema();
            assertThat(live.commands()).extracting(SchemaCommand::name)
                    .containsExactlyElementsOf(captured.commands().stream().map(SchemaCommand::name).toList());
            assertThat(live.types()).hasSameSizeAs(captured.types());
            assertThat(live.supports("query-status")).isTrue();
            assertThat(live.supports("blockdev-add", "read-zeroes")).isTrue();
        }
    }

    @Test
    void aValidatingConnectionRejectsBadCallsAndRunsGoodOnes() {
        try (QmpConnection qmp = QmpConnection.builder(qemu.qmpSocket()).validateCommands(true).build()) {
            qmp.connect();
            assertThatThrownBy(() -> qmp.execute("human-monitor-command", Map.of("command_line", "info status")))
                    .isInstanceOfSatisfying(QmpValidationException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_ARGUMENT);
                        assertThat(e.suggestion()).contains("command-line");
                    });
            assertThatThrownBy(() -> qmp.executeAsync("blockdev-add", Map.of("driver", "nul-co", "node-name", "n")))
                    .isInstanceOfSatisfying(QmpValidationException.class,
                            e -> assertThat(e.path()).isEqualTo("arguments.driver"));
            assertThatThrownBy(() -> qmp.execute("query-stauts")).isInstanceOf(QmpValidationException.class)
                    .hasMessageContaining("did you mean 'query-status'?");
            JsonNode text = qmp.execute("human-monitor-command", Map.of("command-line", "info status"));
            assertThat(text.asText()).startsWith("VM status");
            qmp.execute("blockdev-add", Map.of("driver", "null-co", "node-name", "n0", "size", 4096));
            assertThat(qmp.execute("query-named-block-nodes").toString()).contains("\"n0\"");
        }
    }
}
