package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.message.QmpJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An excerpt of QEMU 7.2's {@code query-qmp-schema} reply (its real entities, with
 * {@code blockdev-add}'s driver union cut down to file, qcow2 and raw).
 */
final class SchemaFixture {
    static final List<String> COMMANDS = List.of("blockdev-add", "blockdev-snapshot", "cont", "device_del",
            "human-monitor-command", "qmp_capabilities", "query-commands", "query-status", "quit", "stop");

    private SchemaFixture() {
    }

    static JsonNode json() {
        try (InputStream in = SchemaFixture.class.getResourceAsStream("schema-qemu-7.2-excerpt.json")) {
            return QmpJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RawSchemaHints hints() {
        return new RawSchemaHints(json(), COMMANDS);
    }
}
