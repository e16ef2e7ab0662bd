package io.qmp4j.qga;

/**
 * Hears how far a file transfer ({@link QgaConnection#copyToGuest}, {@link QgaConnection#copyFromGuest})
 * has got. Called on the calling thread after each chunk, and once at the start with 0 bytes.
 * Throwing from it aborts the transfer (the guest file is closed; see the copy methods for what
 * is left behind).
 */
@FunctionalInterface
public interface TransferProgress {
    /** A progress listener that ignores every update. */
    TransferProgress NONE = (done, total) -> { };

    /**
     * Reports progress.
     *
     * @param bytesDone  bytes transferred so far
     * @param totalBytes the file's size in bytes, or -1 when it is not known
     */
    void update(long bytesDone, long totalBytes);
}
