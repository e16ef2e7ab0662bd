/**
 * Benchmarks for qmp4j: the side-by-side harness ({@link io.qmp4j.bench.Harness}) that runs
 * qmp4j, the raw C client and go-qemu against the same real QEMUs and writes
 * {@code docs/benchmarks.md}, and JMH microbenchmarks ({@code io.qmp4j.bench.jmh}). Never
 * deployed; not API.
 */
package io.qmp4j.bench;
