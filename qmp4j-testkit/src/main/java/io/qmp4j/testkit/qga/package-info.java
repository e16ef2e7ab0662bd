/**
 * A real guest agent for tests: {@link io.qmp4j.testkit.qga.QgaProcess} runs Debian's
 * {@code qemu-ga} on the host in {@code unix-listen} mode (no VM needed), unprivileged and with
 * the commands that would act on the host (shutdown, suspend, setting the clock or passwords)
 * blocked. Uses only the JDK; it does not depend on the qmp4j client. Linux only.
 */
package io.qmp4j.testkit.qga;
