package io.qmp4j;

/**
 * What {@code add-fd} returns: the fd set the descriptor went into and QEMU's own number for it
 * (for {@link QmpConnection#removeFd}).
 *
 * @param fdsetId the fd set, opened by QEMU as {@code /dev/fdset/ID}
 * @param fd      the descriptor's number inside QEMU
 */
public record AddedFd(int fdsetId, int fd) {
}
