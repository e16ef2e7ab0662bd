/**
 * JMH microbenchmarks of qmp4j's framing, parsing and request serialisation, on real QEMU reply
 * lines ({@link io.qmp4j.bench.ReplySamples}). Run them with {@code -prof gc} to see the bytes
 * allocated per message; the harness does.
 */
package io.qmp4j.bench.jmh;
