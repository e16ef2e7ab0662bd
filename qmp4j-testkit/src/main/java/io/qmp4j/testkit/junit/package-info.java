/**
 * JUnit 5 glue for the test kit: {@link io.qmp4j.testkit.junit.RequiresQemu} skips a test where
 * {@code qemu-system-x86_64} is missing, or fails it when {@code -Dqmp4j.requireQemu=true};
 * {@link io.qmp4j.testkit.junit.RequiresQemuGa} does the same for {@code qemu-ga}. Needs
 * {@code junit-jupiter-api}, an optional dependency of the kit; nothing outside this package uses
 * JUnit.
 */
package io.qmp4j.testkit.junit;
