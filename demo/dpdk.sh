#!/usr/bin/env bash
# demo/dpdk.sh (run as ./demo.sh dpdk): a Java process joins a real DPDK application's multi-process channel.
#
# Builds demo/src/main/c/dpdk_primary.c against the installed DPDK (apt-get install dpdk libdpdk-dev pkg-config),
# starts it as a DPDK primary (no hugepages, no PCI, --vdev net_null0) under a file prefix of its own, then one
# mpchannel process (dist/target/mpchannel.jar) with one channel configured wire=dpdk. The Java side requests the
# DPDK application's actions, with a descriptor each way, sends it a message and asks DPDK's vdev bus for its
# devices; then the DPDK application, driven from here, requests a Java action, sends one a message and requests an
# action Java does not have (answered "ignore" at once). Every line says who printed it; exits 0 if all passed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR="$ROOT/dist/target/mpchannel.jar"
TIMEOUT=${DEMO_TIMEOUT:-120}
say() { printf '[demo] %s\n' "$*"; }

if ! pkg-config --exists libdpdk 2>/dev/null; then
    echo "demo.sh dpdk: DPDK is not installed; on Debian or Ubuntu: sudo apt-get install dpdk libdpdk-dev pkg-config gcc" >&2
    exit 2
fi
if [[ ! -f $JAR || ${MPCHANNEL_REBUILD:-0} == 1 ]]; then
    say "building the distribution (mvn -B -q -DskipTests install) ..."
    (cd "$ROOT" && mvn -B -q -DskipTests install)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mpchannel-dpdk-demo.XXXXXX")
prefix="mpdemo$$"
# DPDK's runtime directory, derived as DPDK derives it (and as the channel does)
if [[ -n ${RUNTIME_DIRECTORY:-} ]]; then rundir=$RUNTIME_DIRECTORY/dpdk/$prefix
elif [[ $(id -u) == 0 ]]; then rundir=/var/run/dpdk/$prefix
elif [[ -n ${XDG_RUNTIME_DIR:-} ]]; then rundir=$XDG_RUNTIME_DIR/dpdk/$prefix
else rundir=/tmp/dpdk/$prefix; fi
dpdk_pid="" java_pid=""

cleanup() {
    local rc=$?
    trap '' INT TERM
    [[ -z $java_pid ]] || kill -TERM "$java_pid" 2>/dev/null || true
    [[ -z $dpdk_pid ]] || kill -KILL "$dpdk_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf -- "$work" "$rundir"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

gcc -O1 -Wall "$ROOT/demo/src/main/c/dpdk_primary.c" $(pkg-config --cflags --libs libdpdk) -o "$work/dpdk_primary"

say "starting the DPDK primary (file prefix $prefix, runtime directory $rundir)"
mkfifo "$work/dpdk.in"
"$work/dpdk_primary" --no-huge -m 64 --no-pci -l 0 --file-prefix "$prefix" --vdev net_null0 \
    --log-level lib.eal:error <"$work/dpdk.in" >"$work/dpdk.out" 2>&1 &
dpdk_pid=$!
exec {to_dpdk}>"$work/dpdk.in"
tail -n +1 -f "$work/dpdk.out" --pid "$dpdk_pid" 2>/dev/null | sed -u 's/^/[dpdk] /' &

# await FILE PATTERN: waits until a line of FILE matches, or fails at the deadline
await() {
    local deadline=$((SECONDS + TIMEOUT))
    until grep -q -- "$2" "$1" 2>/dev/null; do
        ((SECONDS < deadline)) || { say "FAILED: no '$2' in $(basename "$1") within ${TIMEOUT}s"; exit 1; }
        sleep 0.1
    done
}
await "$work/dpdk.out" '^READY'

say "starting the Java process: one channel, wire=dpdk, dpdk.layout=22.11 (Debian's DPDK is 22.11)"
mkdir -p "$work/conf" "$work/java"
printf '%s\n' "role=secondary" "prefix=dpdk" "wire=dpdk" "dpdk.file.prefix=$prefix" "dpdk.layout=22.11" \
    "allowed.actions=demo.*" >"$work/conf/dev.mpchannel.channel-dpdk.cfg"
printf '%s\n' "run=false" >"$work/conf/dev.mpchannel.demo.cfg"
printf '%s\n' "channel.target=(mp.channel=dpdk)" >"$work/conf/dev.mpchannel.demo.dpdk.cfg"
MPCHANNEL_RUN_DIR="$work/java" "$ROOT/mpchannel.sh" --conf "$work/conf" --demo </dev/null >"$work/java.out" 2>&1 &
java_pid=$!
tail -n +1 -f "$work/java.out" --pid "$java_pid" 2>/dev/null | sed -u 's/^/[java] /' &

await "$work/java.out" '=== java side'
grep -q '=== java side passed ===' "$work/java.out" || { say "FAILED: the Java side"; exit 1; }

say "the DPDK application requests the Java process's demo.echo"
echo "request demo.echo hello from dpdk" >&"$to_dpdk"
await "$work/dpdk.out" "^MSG demo.echo"
grep -q '^REPLY sent=1 received=1' "$work/dpdk.out" || { say "FAILED: demo.echo was not answered"; exit 1; }

say "the DPDK application broadcasts demo.hello (rte_mp_sendmsg)"
echo "send demo.hello hi from dpdk" >&"$to_dpdk"
await "$work/java.out" "received message 'hi from dpdk'"

say "the DPDK application requests demo.nobody, which Java does not have: answered MP_IGN at once"
echo "request demo.nobody" >&"$to_dpdk"
await "$work/dpdk.out" '^REPLY sent=0 received=0'

echo "quit" >&"$to_dpdk"
say "=== dpdk demo passed ==="
