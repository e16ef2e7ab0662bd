package io.qmp4j.vm;

/**
 * The VM's run state from {@code query-status}.
 *
 * @param status  QEMU's {@code RunState}, for example {@code running}, {@code paused},
 *                {@code prelaunch}, {@code inmigrate}, {@code postmigrate}, {@code shutdown}
 * @param running whether the vCPUs run
 */
public record VmStatus(String status, boolean running) {
}
