package io.qmp4j.vm;

/** A remote console whose password {@code set_password}/{@code expire_password} manage. */
public enum ConsoleProtocol {
    /** VNC ({@code -vnc ...,password=on}); QEMU keeps only the first 8 characters. */
    VNC("vnc"),
    /** SPICE ({@code -spice ...}). */
    SPICE("spice");

    private final String qmpName;

    ConsoleProtocol(String qmpName) {
        this.qmpName = qmpName;
    }

    /** The value of QMP's {@code protocol} argument. */
    public String qmpName() {
        return qmpName;
    }
}
