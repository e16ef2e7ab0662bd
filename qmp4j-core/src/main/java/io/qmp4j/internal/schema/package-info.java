/**
 * Schema validation, descriptions, name suggestions and the per-connection schema cache.
 * Internal: may change without notice.
 */
package io.qmp4j.internal.schema;
