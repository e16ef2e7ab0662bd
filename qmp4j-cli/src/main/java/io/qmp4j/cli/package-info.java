/**
 * The {@code qmp4j} command line: {@code qmp4j exec} runs one QMP command against a monitor
 * socket and prints its return value as JSON; {@code qmp4j shell} is an interactive, line-based
 * QMP shell that can start a throw-away QEMU of its own.
 *
 * <p>It uses only qmp4j's exported packages, like OkHttp's {@code okcurl}. Exit codes are listed
 * in {@link io.qmp4j.cli.ExitCode}.
 */
package io.qmp4j.cli;
