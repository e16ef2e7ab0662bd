/**
 * Internal: Netty event loops shared by all connections, the UNIX socket channel set-up and the
 * framing decoder. Not API; may change without notice.
 */
package io.qmp4j.internal.transport;
