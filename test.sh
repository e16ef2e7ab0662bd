#!/usr/bin/env bash
# The project's test command: unit tests (surefire) and integration tests against a real QEMU
# (failsafe) for every module. Installs QEMU and qemu-ga first when they are missing and we are root. Extra
# arguments go to Maven, for example ./test.sh -pl qmp4j-cli -am. Exits with Maven's exit code.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$ROOT"
# shellcheck source=scripts/ensure-qemu.sh
. "$ROOT/scripts/ensure-qemu.sh"
# shellcheck source=scripts/ensure-qemu-ga.sh
. "$ROOT/scripts/ensure-qemu-ga.sh"
# shellcheck source=scripts/ensure-guest.sh
. "$ROOT/scripts/ensure-guest.sh"

for tool in java mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "test.sh: $tool not found: install a JDK 17 and Maven (Debian: sudo apt-get install openjdk-17-jdk-headless maven)" >&2
        exit 1
    fi
done

# The integration tests need QEMU; -Dqmp4j.requireQemu=true turns a missing QEMU into failures.
ensure_qemu || exit 1
# The guest agent tests run a real qemu-ga on the host.
ensure_qemu_ga || exit 1

# The CLI's terminal test drives the shell inside tmux; without tmux it skips, saying so.
if ! command -v tmux >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux \
        || { DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tmux; }; } </dev/null >&2 \
        || echo "test.sh: could not install tmux; the CLI terminal test will skip" >&2
fi

# qmp4j-vm's slow-guest tests boot a tiny Linux guest (Debian's kernel + busybox, cached in
# ~/.cache/qmp4j/guest). As root (CI) it must be there, so a failure to prepare it fails them.
REQUIRE_GUEST=false
ensure_guest || echo "test.sh: no test guest; the slow-guest tests will skip (fail when root)" >&2
if [ "$(id -u)" -eq 0 ]; then REQUIRE_GUEST=true; fi

exec mvn -B verify -Dqmp4j.requireQemu=true -Dqmp4j.requireGuest="$REQUIRE_GUEST" "$@" </dev/null
