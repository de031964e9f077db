#!/usr/bin/env bash
# bench/peerstate/run.sh: the per-peer state machine owned under one lock (transport's PeerState, copied as
# LockPeerState) against one compare-and-set word (WordPeerState), timed by JMH on the transitions of the hot path.
#
#   bench/peerstate/run.sh quick    # about 12 minutes: 5 rounds; a round is one fork of each variant, back to back,
#                                   # each fork 3 warm-up and 5 measured one-second iterations
#   bench/peerstate/run.sh full     # 10 rounds, forks of 5 + 10 iterations
#   bench/peerstate/run.sh smoke    # a minute; figures meaningless
#
# The uncontended benchmarks (inlineRun, handOff, poolDispatch) run pinned to one core (taskset -c $PEERSTATE_CPU,
# default 1; the forked JVMs inherit it); the contended ones (inlineWatched, poolDrained: two threads) unpinned.
# Each prints JMH's output and then, per benchmark, each variant's median over the rounds and the median of the
# rounds' ratios lock ÷ word, with the lowest and highest (PeerStateRun; bench/peerstate/target/peerstate-*.md):
# the wall time per operation and, for the uncontended ones, the JVM's CPU time per operation (CpuTimeProfiler),
# which the time spent waiting for a busy core does not inflate.
# It builds the module first (mvn -B -q package; BENCH_SKIP_BUILD=1 skips that). Not part of `mvn verify`, which
# only compiles the benchmarks and runs PeerStateVariantsTest.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:-quick}
case $mode in
    quick) opts=(-rounds 5 -wi 3 -w 1s -i 5 -r 1s) ;;
    full) opts=(-rounds 10 -wi 5 -w 1s -i 10 -r 1s) ;;
    smoke) opts=(-rounds 2 -wi 1 -w 100ms -i 1 -r 100ms) ;;
    *) echo "usage: run.sh quick|full|smoke" >&2; exit 2 ;;
esac
command -v taskset >/dev/null || { echo "run.sh: taskset is needed (apt-get install util-linux)" >&2; exit 2; }
cpu=${PEERSTATE_CPU:-1}

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    (cd "$HERE/../.." && mvn -B -q -pl bench/peerstate -DskipTests package)
fi
cd "$HERE"
cp="target/classes:$(cat target/classpath.txt)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# a fixed, small heap: the word variant allocates a queue node per action, and the collector's work is its cost
jvm=(-jvmArgsAppend "-Xms256m -Xmx256m")
main=dev.mpchannel.bench.peerstate.PeerStateRun

echo "== uncontended, pinned to core $cpu"
taskset -c "$cpu" "$java" -cp "$cp" -Dpeerstate.out=target/peerstate-uncontended.md "$main" "${opts[@]}" "${jvm[@]}" \
    -prof dev.mpchannel.bench.peerstate.CpuTimeProfiler \
    'PeerStateBenchmark\.(inlineRun|handOff|poolDispatch)$'
echo "== two threads, unpinned"
"$java" -cp "$cp" -Dpeerstate.out=target/peerstate-contended.md "$main" "${opts[@]}" "${jvm[@]}" \
    'PeerStateBenchmark\.(inlineWatched|poolDrained)$'
echo
echo "== lock ÷ word"
cat target/peerstate-uncontended.md
tail -n +3 target/peerstate-contended.md
