/**
 * Internal, may change without notice: native file descriptors and SCM_RIGHTS sending through
 * JNA, used by file-descriptor passing on UNIX sockets.
 */
package io.qmp4j.internal.fd;
