/**
 * The generator of the typed QMP API: reads a captured {@code query-qmp-schema} reply and writes
 * Java sources (records, enums, sealed unions and alternates, event records and the
 * {@code QemuApi} facade). Run at build time by {@code qmp4j-api}; not a runtime dependency.
 */
package io.qmp4j.codegen;
