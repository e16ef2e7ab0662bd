/** JSON conversion for the generated API. Internal: may change without notice. */
package io.qmp4j.api.internal;
