package io.qmp4j.testkit;

import java.time.Duration;
import java.util.List;

/**
 * The immutable settings of one {@link FakeQmpServer}, fixed by its builder. Internal.
 *
 * @param major QEMU major version in the greeting and {@code query-version}
 * @param minor QEMU minor version
 * @param micro QEMU micro version
 * @param packageName the "package" string
 * @param capabilities the capabilities offered in the greeting
 * @param greetingFault the fault applied to the greeting, or null
 * @param slowDripInterval the pause after each byte for {@link Fault#SLOW_DRIP}
 * @param oversizeLineBytes the length, {@code \r\n} included, of an {@link Fault#OVERSIZE_LINE} line
 */
record ServerConfig(
        int major,
        int minor,
        int micro,
        String packageName,
        List<String> capabilities,
        Fault greetingFault,
        Duration slowDripInterval,
        long oversizeLineBytes) {}
