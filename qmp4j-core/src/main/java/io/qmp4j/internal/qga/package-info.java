/**
 * Internal: the guest agent protocol (one command at a time, resynchronisation with
 * {@code guest-sync-delimited}) and the exec and file-transfer loops behind
 * {@link io.qmp4j.qga.QgaConnection}. May change without notice.
 */
package io.qmp4j.internal.qga;
