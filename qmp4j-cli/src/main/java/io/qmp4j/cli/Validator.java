package io.qmp4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnection;
import io.qmp4j.QmpValidationException;
import io.qmp4j.schema.QmpSchema;

/**
 * Checks a command and its arguments against the connected QEMU's schema before it is sent
 * (the command line's default; {@code --no-validate} turns it off). The schema is fetched on the
 * first check; a QEMU (or fake server) without {@code query-qmp-schema} is simply not checked.
 * One thread at a time (the command's own).
 */
final class Validator {
    private final QmpConnection qmp;
    private final boolean enabled;
    private QmpSchema schema;
    private boolean unavailable;

    Validator(QmpConnection qmp, boolean enabled) {
        this.qmp = qmp;
        this.enabled = enabled;
    }

    /**
     * Throws when {@code command} with {@code arguments} (an object or null) does not fit the schema.
     *
     * @throws QmpValidationException naming the argument path, what was expected and a suggestion
     */
    void check(String command, JsonNode arguments) {
        if (!enabled || unavailable) {
            return;
        }
        if (schema == null) {
            try {
                schema = qmp.schema();
            } catch (QmpCommandException noSchema) {
                unavailable = true;
                return;
            }
        }
        schema.validate(command, arguments);
    }
}
