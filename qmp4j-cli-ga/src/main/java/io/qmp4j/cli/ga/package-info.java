/**
 * The {@code qmp4j ga} command's logic ({@link io.qmp4j.cli.ga.GaTool}), kept apart from the
 * CLI framework so that any front end can run it: agent commands, {@code exec} and {@code cp}
 * with a progress bar.
 */
package io.qmp4j.cli.ga;
