/**
 * The qmp4j test kit: {@link io.qmp4j.testkit.FakeQmpServer}, a scripted QMP server on a UNIX
 * socket that behaves like QEMU 7.2 by default and can inject {@link io.qmp4j.testkit.Fault}s.
 *
 * <p>The fake server is written independently of the qmp4j client, so a bug in the client cannot
 * hide in it; its texts were checked against real QEMU 7.2 output.
 */
package io.qmp4j.testkit;
