# shellcheck shell=bash
# Sourced by ./test.sh: makes sure the QEMU guest agent (qemu-ga) is available for the guest
# agent integration tests, which run it on the host in unix-listen mode.
#
#   ensure_qemu_ga || exit N
#
# Returns 0 when qemu-ga is found ($QMP4J_QEMU_GA, PATH, or Debian's /usr/sbin). When it is
# missing and we are root on a system with apt-get, installs Debian's qemu-guest-agent package
# without asking. Otherwise prints what to install on stderr and returns 1.

qmp4j_have_qemu_ga() {
    if [ -n "${QMP4J_QEMU_GA:-}" ]; then
        [ -x "$QMP4J_QEMU_GA" ]
    else
        command -v qemu-ga >/dev/null 2>&1 || [ -x /usr/sbin/qemu-ga ]
    fi
}

ensure_qemu_ga() {
    if qmp4j_have_qemu_ga; then
        return 0
    fi
    if [ -n "${QMP4J_QEMU_GA:-}" ]; then
        echo "qmp4j: QMP4J_QEMU_GA=$QMP4J_QEMU_GA is not an executable file" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "qmp4j: qemu-ga not found; installing qemu-guest-agent with apt-get" >&2
        # the tests only need the binary; they start their own agent
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
                    qemu-guest-agent; } </dev/null >&2; then
            echo "qmp4j: apt-get could not install qemu-guest-agent" >&2
            return 1
        fi
        hash -r
        if qmp4j_have_qemu_ga; then
            return 0
        fi
        echo "qmp4j: qemu-guest-agent was installed but qemu-ga is still not found" >&2
        return 1
    fi
    echo "qmp4j: qemu-ga not found; install it with: sudo apt-get install qemu-guest-agent" >&2
    return 1
}
