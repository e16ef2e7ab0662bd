package io.qmp4j.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The small schema fixture: every meta-type, a flat union, an alternate with null, an open command. */
final class SchemaFixtures {
    private SchemaFixtures() {
    }

    static String fixtureJson() {
        try (InputStream in = SchemaFixtures.class.getResourceAsStream("fixture-schema.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static QmpSchema fixture() {
        return QmpSchema.parse(fixtureJson());
    }
}
