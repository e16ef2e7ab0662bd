# shellcheck shell=bash
# Sourced by ./test.sh: makes sure the tiny Linux test guest of qmp4j-vm's slow-guest tests is
# cached (the PCI unplug path needs a guest OS whose ACPI code releases the device).
#
#   ensure_guest || echo "no guest"
#
# The guest is Debian's own kernel (linux-image-amd64) and busybox-static, fetched with
# `apt-get download` (no installation, so no root needed unless the package lists must be
# updated) and unpacked into $QMP4J_GUEST_DIR (default ~/.cache/qmp4j/guest):
#   vmlinux        the kernel, decompressed from vmlinuz (an ELF with a PVH entry: QEMU boots it
#                  directly, which saves the ~10 s a TCG guest spends decompressing vmlinuz)
#   busybox        the static busybox
#   modules/*.ko   the virtio modules (virtio-pci, virtio-balloon, ...), the ACPI power button
#                  and evdev (so the guest can power off on system_powerdown)
#   VERSION        the kernel package, written last: its presence means "complete"
# The tests write the initramfs themselves (cpio, from Java) under target/.

qmp4j_guest_dir() {
    echo "${QMP4J_GUEST_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/qmp4j/guest}"
}

ensure_guest() {
    local dir work kernel_pkg off
    dir="$(qmp4j_guest_dir)"
    if [ -s "$dir/VERSION" ] && [ -s "$dir/vmlinux" ] && [ -x "$dir/busybox" ] && [ -s "$dir/modules/button.ko" ]; then
        return 0
    fi
    for tool in apt-get apt-cache dpkg-deb xz tar grep; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "qmp4j: cannot prepare the test guest: $tool not found (the slow-guest tests will skip)" >&2
            return 1
        fi
    done
    kernel_pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
    if [ -z "$kernel_pkg" ] && [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2 || true
        kernel_pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
    fi
    if [ -z "$kernel_pkg" ]; then
        echo "qmp4j: cannot prepare the test guest: apt knows no linux-image-amd64 (run apt-get update as root)" >&2
        return 1
    fi
    echo "qmp4j: preparing the test guest ($kernel_pkg, busybox-static) in $dir" >&2
    work="$(mktemp -d)"
    chmod 755 "$work" # apt's download user must be able to write here
    if ! (cd "$work" && apt-get download -q "$kernel_pkg" busybox-static </dev/null >&2 2>/dev/null); then
        echo "qmp4j: apt-get download $kernel_pkg busybox-static failed" >&2
        rm -rf "$work"
        return 1
    fi
    mkdir -p "$work/k" "$work/b" &&
        dpkg-deb --fsys-tarfile "$work"/linux-image-*.deb |
            tar -x -C "$work/k" --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/virtio/*.ko' \
                './lib/modules/*/kernel/drivers/acpi/button.ko' './lib/modules/*/kernel/drivers/input/evdev.ko' &&
        dpkg-deb -x "$work"/busybox-static_*.deb "$work/b" || {
        echo "qmp4j: unpacking the guest packages failed" >&2
        rm -rf "$work"
        return 1
    }
    # vmlinuz is a small decompressor plus an xz stream: find the stream, decompress it.
    off="$(LC_ALL=C grep -m1 -aobUP '\xFD7zXZ\x00' "$work"/k/boot/vmlinuz-* | head -1 | cut -d: -f1)"
    mkdir -p "$dir/modules" && rm -f "$dir/VERSION"
    # (process substitution, not a pipe: under pipefail tail's SIGPIPE would count as failure)
    if [ -z "$off" ] || ! xz -dc --single-stream < <(tail -c +"$((off + 1))" "$work"/k/boot/vmlinuz-*) \
            >"$dir/vmlinux" 2>/dev/null; then
        echo "qmp4j: cannot decompress the kernel (not an xz-compressed bzImage?)" >&2
        rm -rf "$work"
        return 1
    fi
    cp "$work"/b/bin/busybox "$dir/busybox" && chmod 755 "$dir/busybox" &&
        cp "$work"/k/lib/modules/*/kernel/drivers/virtio/*.ko "$work"/k/lib/modules/*/kernel/drivers/acpi/button.ko \
            "$work"/k/lib/modules/*/kernel/drivers/input/evdev.ko "$dir/modules/" &&
        echo "$kernel_pkg" >"$dir/VERSION"
    local rc=$?
    rm -rf "$work"
    return $rc
}
