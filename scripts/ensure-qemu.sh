# shellcheck shell=bash
# Sourced by ./qmp4j and ./test.sh: makes sure qemu-system-x86_64 is available.
#
#   ensure_qemu || exit N
#
# Returns 0 when qemu-system-x86_64 is on PATH (or $QMP4J_QEMU names an executable). When it is
# missing and we are root on a system with apt-get, installs Debian's qemu-system-x86 package
# without asking. Otherwise prints what to install on stderr and returns 1.

qmp4j_have_qemu() {
    if [ -n "${QMP4J_QEMU:-}" ]; then
        [ -x "$QMP4J_QEMU" ]
    else
        command -v qemu-system-x86_64 >/dev/null 2>&1
    fi
}

ensure_qemu() {
    if qmp4j_have_qemu; then
        return 0
    fi
    if [ -n "${QMP4J_QEMU:-}" ]; then
        echo "qmp4j: QMP4J_QEMU=$QMP4J_QEMU is not an executable file" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "qmp4j: qemu-system-x86_64 not found; installing qemu-system-x86 with apt-get" >&2
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-system-x86; } </dev/null >&2; then
            echo "qmp4j: apt-get could not install qemu-system-x86" >&2
            return 1
        fi
        hash -r
        if qmp4j_have_qemu; then
            return 0
        fi
        echo "qmp4j: qemu-system-x86 was installed but qemu-system-x86_64 is still not on PATH" >&2
        return 1
    fi
    echo "qmp4j: qemu-system-x86_64 not found; install it with: sudo apt-get install qemu-system-x86" >&2
    return 1
}
