/**
 * A client for the QEMU guest agent ({@code qemu-ga}): {@link io.qmp4j.qga.QgaConnection}, its
 * builder, and the typed results of its helpers. It shares the transports, framing, message
 * model and exceptions of {@link io.qmp4j.QmpConnection}; only the protocol rules differ (no
 * greeting, one command at a time, resynchronisation with {@code guest-sync-delimited}).
 */
package io.qmp4j.qga;
