/**
 * QEMU's self-description: {@link io.qmp4j.schema.QmpSchema}, a parsed model of the reply to
 * {@code query-qmp-schema} (see QEMU's {@code docs/devel/qapi-code-gen.rst}, "Client JSON
 * Protocol introspection"), with look-ups, feature detection and argument validation.
 *
 * <p>In release builds QEMU masks the names of non-builtin types as numbers ({@code "0"},
 * {@code "[49]"}); commands, events, members and enum values keep their real names, so code that
 * uses this model looks types up through them.
 */
package io.qmp4j.schema;
