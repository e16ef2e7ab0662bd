#!/usr/bin/env bash
# Captures the QMP introspection schema (query-qmp-schema) of the installed QEMU into the file the
# typed API (qmp4j-api) is generated from, one schema entry per line so that diffs between QEMU
# versions stay readable. Also records QEMU's version next to it.
#
#   scripts/capture-schema.sh [OUTPUT]     default: qmp4j-api/src/main/schema/qmp-schema.json
#
# Needs qemu-system-x86_64 (or $QMP4J_QEMU), socat and jq. Starts a throw-away QEMU
# (-machine none) on a UNIX socket in a temporary directory and removes it afterwards. The schema
# does not depend on the machine type: it is compiled into the QEMU binary.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OUT="${1:-$ROOT/qmp4j-api/src/main/schema/qmp-schema.json}"
QEMU="${QMP4J_QEMU:-qemu-system-x86_64}"

for tool in "$QEMU" socat jq; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "capture-schema: $tool not found" >&2
        exit 1
    fi
done

DIR="$(mktemp -d)"
QEMU_PID=
cleanup() {
    if [ -n "$QEMU_PID" ]; then
        kill "$QEMU_PID" 2>/dev/null || true
        wait "$QEMU_PID" 2>/dev/null || true
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT

"$QEMU" -machine none -nodefaults -display none \
    -qmp "unix:$DIR/qmp.sock,server=on,wait=off" >"$DIR/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 100); do
    [ -S "$DIR/qmp.sock" ] && break
    sleep 0.05
done
if [ ! -S "$DIR/qmp.sock" ]; then
    echo "capture-schema: QEMU did not create its QMP socket; its log:" >&2
    cat "$DIR/qemu.log" >&2
    exit 1
fi

# One request per line; quit makes QEMU close the socket, which ends socat.
printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-version","id":"v"}' \
    '{"execute":"query-qmp-schema","id":"s"}' '{"execute":"quit"}' |
    socat -t 10 - "UNIX-CONNECT:$DIR/qmp.sock" >"$DIR/replies" 
wait "$QEMU_PID" 2>/dev/null || true
QEMU_PID=

VERSION="$(jq -r 'select(.id == "v") | .return | "\(.qemu.major).\(.qemu.minor).\(.qemu.micro) \(.package)"' "$DIR/replies")"
if [ -z "$VERSION" ]; then
    echo "capture-schema: no query-version reply; QEMU said:" >&2
    head -c 2000 "$DIR/replies" >&2
    exit 1
fi
jq -c 'select(.id == "s") | .return[]' "$DIR/replies" >"$DIR/entries"
if [ ! -s "$DIR/entries" ]; then
    echo "capture-schema: no query-qmp-schema reply" >&2
    exit 1
fi
mkdir -p "$(dirname "$OUT")"
{ echo "["; sed '$!s/$/,/' "$DIR/entries"; echo "]"; } >"$OUT"
echo "$VERSION" >"${OUT%.json}.version"
echo "capture-schema: $(wc -l <"$DIR/entries") entries from QEMU $VERSION -> $OUT" >&2
