package io.qmp4j.qga;

/** The guest's filesystem freeze state, from {@code guest-fsfreeze-status}. */
public enum FsfreezeStatus {
    /** Filesystems are writable (the normal state). */
    THAWED,
    /** Filesystems are frozen by {@code guest-fsfreeze-freeze}; writes block until thawed. */
    FROZEN
}
