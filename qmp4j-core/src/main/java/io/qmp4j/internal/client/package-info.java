/**
 * Internal: the session state on the event loop, in-flight calls and reply routing, and the
 * mapping of QMP errors to exceptions. Not API; may change without notice.
 */
package io.qmp4j.internal.client;
