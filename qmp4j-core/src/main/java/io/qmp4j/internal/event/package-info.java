/**
 * Internal: event fan-out from the event loop to bounded subscriber buffers. Not API; may change
 * without notice.
 */
package io.qmp4j.internal.event;
