/**
 * qmp4j's typed QMP API, generated at build time from QEMU's schema: {@code io.qmp4j.api.QemuApi}
 * (one method per command), {@code io.qmp4j.api.types} (records, enums, sealed unions and
 * alternates) and {@code io.qmp4j.api.events} (one record per event).
 */
module io.qmp4j.api {
    requires transitive io.qmp4j;

    exports io.qmp4j.api;
    exports io.qmp4j.api.types;
    exports io.qmp4j.api.events;

    opens io.qmp4j.api.types to com.fasterxml.jackson.databind;
    opens io.qmp4j.api.events to com.fasterxml.jackson.databind;
}
