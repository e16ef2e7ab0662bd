package io.qmp4j.vm;

import io.qmp4j.QmpException;
import java.util.Set;

/**
 * The connected QEMU lacks what an operation needs (a command, an argument, a device type), so
 * nothing was sent. {@link #missing()} names what is missing, for example {@code [netdev_add]}.
 */
public class VmUnsupportedException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final Set<String> missing;

    /** Creates the exception for {@code what} (an operation) lacking {@code missing}. */
    public VmUnsupportedException(String what, Set<String> missing, String qemuVersion) {
        super(what + " is not supported by this QEMU (" + qemuVersion + "): it lacks " + String.join(", ", missing)
                + "; nothing was sent");
        this.missing = Set.copyOf(missing);
    }

    /** The commands, arguments or device types that are missing. */
    public Set<String> missing() {
        return missing;
    }
}
