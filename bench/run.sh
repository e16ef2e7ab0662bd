#!/usr/bin/env bash
# The side-by-side benchmark: qmp4j, the raw C client and go-qemu against real QEMUs, plus the JMH
# microbenchmarks; regenerates docs/benchmarks.md and docs/benchmarks/*.svg.
#
#   bench/run.sh                 full run (3 rounds; about 8 minutes on 2 cores)
#   bench/run.sh --smoke         seconds: tiny counts, one round (what CI runs, as a test)
#   bench/run.sh --help          every option
#
# The peers come from the perf directory: --perf-dir DIR, else $QMP4J_PERF_DIR, else ../shared/perf
# relative to the repository root; a missing one is skipped with a printed note. Builds the
# benchmark jar with Maven (never installs anything into the local Maven repository) and the C
# client with gcc. As root it installs QEMU, gcc, and Go with Debian's go-qemu package with apt-get
# when missing; otherwise it says what is missing and skips go-qemu.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JAR="$ROOT/qmp4j-bench/target/qmp4j-bench.jar"
cd "$ROOT"
# shellcheck source=scripts/ensure-qemu.sh
. "$ROOT/scripts/ensure-qemu.sh"

for arg in "$@"; do
    if [ "$arg" = --help ] || [ "$arg" = -h ]; then
        HELP_ONLY=1
    fi
done

apt_install() {
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: installing $* with apt-get" >&2
        { DEBIAN_FRONTEND=noninteractive apt-get update -q \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } </dev/null >&2 || return 1
        hash -r
        return 0
    fi
    return 1
}

wants_go=1
for arg in "$@"; do
    case "$arg" in --no-go | --smoke) wants_go=0 ;; esac
done

if [ -z "${HELP_ONLY:-}" ]; then
    ensure_qemu || exit 4
    if ! command -v gcc >/dev/null 2>&1 && ! apt_install gcc libc6-dev; then
        echo "bench: gcc not found (apt-get install gcc): the raw C client will be skipped" >&2
    fi
    if [ "$wants_go" = 1 ] && { ! command -v go >/dev/null 2>&1 \
            || [ ! -d /usr/share/gocode/src/github.com/digitalocean/go-qemu ]; }; then
        if ! apt_install golang-go golang-github-digitalocean-go-qemu-dev; then
            echo "bench: Go or go-qemu missing and not root: go-qemu will be skipped" \
                "(apt-get install golang-go golang-github-digitalocean-go-qemu-dev)" >&2
        fi
    fi
fi

for tool in java mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "bench: $tool not found: install a JDK 17 and Maven (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
        exit 1
    fi
done

echo "bench: building qmp4j-bench (mvn package)..." >&2
mvn -q -B -Dstyle.color=never -DskipTests -pl qmp4j-bench -am package </dev/null >&2

exec java -Xmx2g -jar "$JAR" --repo-root "$ROOT" "$@"
