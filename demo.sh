#!/usr/bin/env bash
# demo.sh: the mpchannel demo in one command (./demo.sh dpdk: with a real DPDK application, see demo/dpdk.sh).
#
# Starts one primary and two secondaries, each its own JVM (dist/target/mpchannel.jar through mpchannel.sh), that
# talk over Unix domain sockets in a fresh private directory. The primary's demo bundle runs the scenario and
# exits 0 on success, non-zero on failure; this script then stops the secondaries and exits with the primary's
# code (124 if the primary did not finish in time, 1 if a secondary died first). Every line of output is
# prefixed with the process it came from: [primary], [secondary-1], [secondary-2] ([demo] is this script).
#
# Environment:
#   DEMO_TIMEOUT=120                 seconds to wait for the primary
#   DEMO_STOP_GRACE=5                seconds between SIGTERM and SIGKILL when stopping the JVMs
#   DEMO_START=secondaries-first     or primary-first: the secondaries (re)connect either way
#   MPCHANNEL_REBUILD=1, MPCHANNEL_LOG_LEVEL, MPCHANNEL_JAVA_OPTS, JAVA_HOME: as for mpchannel.sh
#
# Whatever happens (failure, timeout, Ctrl-C, SIGTERM), the EXIT trap stops all three JVMs and removes the
# temp dir, which holds everything they wrote (conf, sockets, Felix caches, java.io.tmpdir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# ./demo.sh dpdk: a Java process joins a real DPDK application instead (demo/dpdk.sh says what it shows)
if [[ ${1:-} == dpdk ]]; then
    exec "$ROOT/demo/dpdk.sh"
fi
JAR="$ROOT/dist/target/mpchannel.jar"
TIMEOUT=${DEMO_TIMEOUT:-120}
GRACE=${DEMO_STOP_GRACE:-5}
START=${DEMO_START:-secondaries-first}
SECONDARIES=2
PREFIX=demo
ALLOWED='demo.*'

[[ $TIMEOUT =~ ^[0-9]+$ && $GRACE =~ ^[0-9]+$ ]] || { echo "demo.sh: DEMO_TIMEOUT and DEMO_STOP_GRACE must be whole seconds" >&2; exit 2; }
[[ $START == secondaries-first || $START == primary-first ]] || { echo "demo.sh: DEMO_START must be secondaries-first or primary-first" >&2; exit 2; }

say() { printf '[demo] %s\n' "$*"; }

work=""          # the one temp dir; empty until created
names=()         # process names, in start order
pids=()          # their JVM pids (mpchannel.sh execs java, so the pid we start is the JVM's)
prefixer_pids=() # the sed processes that prefix their output

alive() { kill -0 "$1" 2>/dev/null; }

# shellcheck disable=SC2317 # reached only through the EXIT trap, which shellcheck 0.9 does not follow
# SIGTERM every JVM still running (each stops its OSGi framework in order), SIGKILL what is left after the
# grace period, then reap them and their prefixers so that nothing outlives this script.
stop_all() {
    local i pid deadline any
    for i in "${!pids[@]}"; do
        if alive "${pids[i]}"; then
            say "stopping ${names[i]} (pid ${pids[i]})"
            kill -TERM "${pids[i]}" 2>/dev/null || true
        fi
    done
    deadline=$((SECONDS + GRACE))
    while :; do
        any=false
        for pid in "${pids[@]}"; do alive "$pid" && any=true; done
        [[ $any == true && $SECONDS -lt $deadline ]] || break
        sleep 0.2
    done
    for i in "${!pids[@]}"; do
        if alive "${pids[i]}"; then
            say "${names[i]} ignored SIGTERM for ${GRACE}s: SIGKILL"
            kill -KILL "${pids[i]}" 2>/dev/null || true
        fi
    done
    for pid in "${pids[@]}" "${prefixer_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# shellcheck disable=SC2317 # the EXIT trap handler
cleanup() {
    local rc=$?
    # A second Ctrl-C must not cut the cleanup short; it is bounded by DEMO_STOP_GRACE anyway.
    trap '' INT TERM
    trap - EXIT
    stop_all
    [[ -z $work ]] || rm -rf -- "$work"
    exit "$rc"
}
trap cleanup EXIT
# Turn signals into an exit so that the EXIT trap runs (with the conventional 128+N code).
trap 'exit 130' INT
trap 'exit 143' TERM

# One build, before any JVM starts (three mpchannel.sh building at once would race).
if [[ ! -f $JAR || ${MPCHANNEL_REBUILD:-0} == 1 ]]; then
    say "building the distribution (mvn -B -q -DskipTests install) ..."
    (cd "$ROOT" && mvn -B -q -DskipTests install)
    [[ -f $JAR ]] || { echo "demo.sh: the build did not produce $JAR" >&2; exit 1; }
fi

# Unix socket paths are limited to 107 bytes: keep the base short even if TMPDIR is a long path.
base=${TMPDIR:-/tmp}
((${#base} <= 40)) || base=/tmp
work=$(mktemp -d "$base/mpchannel-demo.XXXXXX") # mode 0700: the sockets are private to this user
sock="$work/sock"
mkdir "$sock"

cat <<EOF
mpchannel demo
  1 primary + $SECONDARIES secondaries, each its own JVM ($START), over Unix domain sockets in
  $sock (prefix "$PREFIX", allowed actions "$ALLOWED").
  The primary runs the scenario and exits 0 on success; timeout ${TIMEOUT}s. Ctrl-C stops everything.
EOF

# Warn (only) when the jar predates the demo bundle: the primary would then never finish and time out.
if command -v unzip >/dev/null && ! unzip -Z1 "$JAR" 2>/dev/null | grep -q '^jar/mpchannel-demo-'; then
    say "WARNING: $JAR has no mpchannel-demo bundle; nothing will run the scenario (rebuild: MPCHANNEL_REBUILD=1)"
fi

# write_conf NAME ROLE RUN: FileInstall's .cfg files for one process (dot-name then rename: FileInstall
# skips dot files, so it never reads a half-written file).
write_conf() {
    local name=$1 role=$2 run=$3 conf="$work/$1/conf"
    mkdir -p "$conf"
    printf '%s\n' "role=$role" "prefix=$PREFIX" "socket.dir=$sock" "allowed.actions=$ALLOWED" >"$conf/.tmp"
    mv "$conf/.tmp" "$conf/dev.mpchannel.channel-$PREFIX.cfg"
    if [[ $run == true ]]; then
        printf '%s\n' "run=true" "secondaries=$SECONDARIES" >"$conf/.tmp"
    else
        printf '%s\n' "run=false" >"$conf/.tmp"
    fi
    mv "$conf/.tmp" "$conf/dev.mpchannel.demo.cfg"
}

# start NAME: one JVM, stdin at EOF (so no Gogo console), stdout and stderr through a line-buffered
# prefixer. The prefixer is a process substitution opened on a fd of our own, so that $! after the launch
# is the JVM's pid (a pipeline would give the prefixer's).
start() {
    local name=$1 out
    exec {out}> >(sed -u "s/^/[$name] /")
    prefixer_pids+=("$!")
    MPCHANNEL_RUN_DIR="$work/$name" "$ROOT/mpchannel.sh" --conf "$work/$name/conf" --demo \
        </dev/null >&"$out" 2>&1 &
    pids+=("$!")
    names+=("$name")
    exec {out}>&- # only the JVM holds the pipe now: the prefixer ends when the JVM does
    say "started $name (pid ${pids[-1]})"
}

write_conf primary primary true
for ((n = 1; n <= SECONDARIES; n++)); do write_conf "secondary-$n" secondary false; done

if [[ $START == primary-first ]]; then start primary; fi
for ((n = 1; n <= SECONDARIES; n++)); do start "secondary-$n"; done
if [[ $START == secondaries-first ]]; then start primary; fi

primary_pid=""
for i in "${!names[@]}"; do [[ ${names[i]} == primary ]] && primary_pid=${pids[i]}; done

# Poll rather than block in `wait`: we must also notice the deadline and a secondary that dies early.
deadline=$((SECONDS + TIMEOUT))
while alive "$primary_pid"; do
    for i in "${!pids[@]}"; do
        if [[ ${pids[i]} != "$primary_pid" ]] && ! alive "${pids[i]}"; then
            rc=0
            wait "${pids[i]}" || rc=$?
            say "FAILED: ${names[i]} exited (code $rc) before the primary finished"
            exit 1
        fi
    done
    if ((SECONDS >= deadline)); then
        say "FAILED: timeout, the primary did not finish within ${TIMEOUT}s"
        exit 124
    fi
    sleep 0.2
done

rc=0
wait "$primary_pid" || rc=$?
if ((rc == 0)); then say "primary finished: PASSED"; else say "primary exited with code $rc: FAILED"; fi
exit "$rc"
