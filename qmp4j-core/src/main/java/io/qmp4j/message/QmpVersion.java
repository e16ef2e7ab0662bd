package io.qmp4j.message;

import java.util.Objects;

/**
 * QEMU's version as announced in the greeting ({@code QMP.version}): {@code qemu.major},
 * {@code qemu.minor}, {@code qemu.micro} and the distributor's {@code package} string.
 *
 * @param major    for example 7
 * @param minor    for example 2
 * @param micro    for example 22
 * @param packaging the {@code package} string, for example {@code Debian 1:7.2+dfsg-7}; may be empty
 */
public record QmpVersion(int major, int minor, int micro, String packaging) implements Comparable<QmpVersion> {
    /** Checks the parts. */
    public QmpVersion {
        Objects.requireNonNull(packaging, "packaging");
    }

    /** Whether this version is at least {@code major.minor.micro}. */
    public boolean isAtLeast(int major, int minor, int micro) {
        return compareTo(new QmpVersion(major, minor, micro, "")) >= 0;
    }

    /** Orders by major, minor, micro; the package string is ignored. */
    @Override
    public int compareTo(QmpVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(micro, other.micro);
    }

    /** {@code major.minor.micro}, plus the package string in parentheses when present. */
    @Override
    public String toString() {
        String v = major + "." + minor + "." + micro;
        return packaging.isEmpty() ? v : v + " (" + packaging + ")";
    }
}
