#!/usr/bin/env bash
# bench.sh: mpchannel's benchmark suite in one command.
#
#   ./bench.sh quick    # about 15 minutes on 2 cores: every workload and baseline, unpinned then pinned
#   ./bench.sh full     # the same with 5-10x the samples
#   ./bench.sh rings    # the shared-memory rings against Aeron IPC (bench/rings; docs/rings.md)
#   ./bench.sh allocations   # what the channel allocates per message, exact and by site (JFR), in half a minute
#   ./bench.sh handoff  # two minutes: who reads a reply, a reader thread handing it over or the caller itself
#                       # (leader/follower, sticky leader), unpinned and pinned; writes bench/target/handoff.md
#                       # (bench/README.md)
#   ./bench.sh readers  # a minute or two: many connections read by a platform or (Java 21+) a virtual thread each
#                       # (bench/harness, ReadersBench); set JAVA_HOME to a JDK 21+ for the virtual row
#   ./bench.sh smoke    # seconds: tiny counts (what `mvn verify` runs as BenchSmokeIT); figures meaningless
#   ./bench.sh quick --passes pinned --no-grpc      # options after the mode go to the harness:
#        --passes unpinned,pinned   which passes (default both; pinned = taskset -c CPU on every process)
#        --cpu N                    the core of the pinned pass (default 1)
#        --no-grpc                  leave the gRPC baseline out
#        --no-dpdk                  leave the DPDK rows out (they are skipped anyway without DPDK installed)
#        --only large               the large-parameter rows and their baselines alone (large,gc: also released
#                                   by the garbage collector, mpbench.large.scoped=false)
#        --out DIR                  where results.md, results.csv, charts/, histograms/ and logs/ go
#                                   (default bench/target)
#
# It builds what it needs (mvn -B -q -DskipTests package of the bench modules and everything they depend on;
# BENCH_SKIP_BUILD=1 skips that), compiles the C baseline with gcc -O2, then runs in one go: the C ping-pong over
# AF_UNIX (SOCK_STREAM, SOCK_SEQPACKET, with and without a descriptor, fan-out), the bare junixsocket and JDK
# SocketChannel ping-pongs, gRPC-java over a Unix domain socket, and mpchannel between Felix JVMs (a primary whose
# driver measures, a secondary, then up to 64 secondaries as Felix frameworks and up to 1,000 raw-protocol ones);
# where DPDK is installed, a DPDK primary with a Java peer (wire=dpdk) and, as root, a DPDK primary with a DPDK
# secondary (hugepages set up for that step and put back). Latencies are recorded in HdrHistograms.
# It prints the tables and writes bench/target/results.md and results.csv, charts/*.png (JFreeChart, headless),
# histograms/PASS/*.hgrm (and each process's log in bench/target/logs). Every process it starts is stopped and its
# temp dir removed, also on failure or Ctrl-C.
#
# Needs: a JDK 17 to 25 (JAVA_HOME or PATH), Maven, gcc, taskset;
# optional: DPDK (apt-get install dpdk libdpdk-dev pkg-config), root for the DPDK secondary's hugepages.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

mode=${1:-quick}
if [[ $mode == rings ]]; then
    # ./bench.sh rings [--rounds N] [--records N] [--large N]: the shared-memory rings against Aeron IPC, a JDK socket,
    # C's socket and memcpy, in one run (bench/rings); writes bench/target/rings.md
    shift
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        echo "[bench] building (mvn -B -q -DskipTests package -pl bench/rings -am) ..."
        mvn -B -q -DskipTests package -pl bench/rings -am
    fi
    mkdir -p bench/target
    gcc -O2 -o bench/target/unix_pingpong bench/rings/src/main/c/unix_pingpong.c
    java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    exec "$java" --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
        -cp "$ROOT/bench/rings/target/classes:$(cat "$ROOT/bench/rings/target/classpath.txt")" \
        dev.mpchannel.bench.rings.RingsBench --c-pingpong bench/target/unix_pingpong --out bench/target/rings.md "$@"
fi
if [[ $mode == allocations ]]; then
    # ./bench.sh allocations [--messages N]: bench/allocations; writes bench/target/allocations.md
    shift
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        echo "[bench] building (mvn -B -q -DskipTests install -pl bench/allocations -am) ..."
        mvn -B -q -DskipTests install -pl bench/allocations -am
    fi
    java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    exec "$java" -cp "$ROOT/bench/allocations/target/classes:$(cat "$ROOT/bench/allocations/target/classpath.txt")" \
        dev.mpchannel.bench.allocations.AllocationProfile --out bench/target/allocations.md "$@"
fi
if [[ $mode == readers ]]; then
    # ./bench.sh readers [--sockets N] [--rounds N] [--warmup N]: writes bench/target/readers.md
    shift
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        echo "[bench] building (mvn -B -q -DskipTests package -pl bench/harness -am) ..."
        mvn -B -q -DskipTests package -pl bench/harness -am
    fi
    java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    native=()
    "$java" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1 && native=(--enable-native-access=ALL-UNNAMED)
    exec "$java" "${native[@]}" -cp "$ROOT/bench/harness/target/classes:$(cat "$ROOT/bench/harness/target/classpath.txt")" \
        dev.mpchannel.bench.harness.readers.ReadersBench --out "$ROOT/bench/target/readers.md" "$@"
fi
if [[ $mode == handoff ]]; then
    # ./bench.sh handoff [--warmup N] [--rounds N] [--passes unpinned,pinned] [--cpu N]: 64 B round trips between two
    # JVMs over the JDK's SocketChannel, the reply read by the caller, by a reader thread that hands it over, or by the
    # caller leading while the reader steps aside, for one request or for as long as requests follow one another
    # (bench/harness, handoff.HandoffBench); writes bench/target/handoff.md
    shift
    command -v taskset >/dev/null || { echo "bench.sh: taskset is needed (apt-get install util-linux)" >&2; exit 2; }
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        echo "[bench] building (mvn -B -q -DskipTests package -pl bench/harness -am) ..."
        mvn -B -q -DskipTests package -pl bench/harness -am
    fi
    java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    classpath="$ROOT/bench/harness/target/classes:$(cat "$ROOT/bench/harness/target/classpath.txt")"
    exec "$java" -cp "$classpath" -Dbench.classpath="$classpath" \
        dev.mpchannel.bench.harness.handoff.HandoffBench --out "$ROOT/bench/target" "$@"
fi
[[ $mode == quick || $mode == full || $mode == smoke ]] || {
    echo "usage: bench.sh quick|full|smoke|rings|allocations|handoff|readers [--passes unpinned,pinned] [--cpu N] [--no-grpc] [--no-dpdk] [--out DIR]" >&2
    exit 2
}
shift || true

for tool in gcc taskset; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool is needed (apt-get install gcc util-linux)" >&2; exit 2; }
done
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_major=$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
if [[ $java_major =~ ^[0-9]+$ ]] && ((java_major < 17 || java_major > 25)); then
    echo "bench.sh: needs Java 17 to 25 ($java is $java_major); set JAVA_HOME" >&2
    exit 2
fi

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "[bench] building (mvn -B -q -DskipTests package -pl bench/harness -am) ..."
    mvn -B -q -DskipTests package -pl bench/harness -am
fi

classpath="$ROOT/bench/harness/target/classes:$(cat "$ROOT/bench/harness/target/classpath.txt")"
exec "$java" -Djava.awt.headless=true -cp "$classpath" -Dbench.classpath="$classpath" \
    dev.mpchannel.bench.harness.Bench "$mode" \
    --bench-jar "$ROOT/bench/bundle/target/bench.jar" --out "$ROOT/bench/target" "$@"
