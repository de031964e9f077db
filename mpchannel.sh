#!/usr/bin/env bash
# mpchannel.sh: run one mpchannel process (a Felix JVM from dist/target/mpchannel.jar) with one channel or several.
#
#   ./mpchannel.sh primary|secondary|auto [--prefix P] [--socket-dir D] [--allow GLOBS] [--bundles DIR] [--demo]
#   ./mpchannel.sh --conf DIR [--bundles DIR] [--demo]
#   either form with --console PORT: also the Felix Web Console on http://127.0.0.1:PORT/system/console/mpchannel
#
#   primary|secondary|auto   one channel, the side this process takes (auto: the secondary if a primary runs)
#   --prefix P               the channel's name (default mpchannel)
#   --socket-dir D           where its socket lives (default $XDG_RUNTIME_DIR/mpchannel or /tmp/mpchannel-$USER)
#   --allow GLOBS            the action names it binds, e.g. 'demo.*' or 'vdev.*,mem.alloc' (default: none)
#   --conf DIR               the channels in DIR instead: one dev.mpchannel.channel-NAME.cfg per channel
#   --bundles DIR            your own bundles (your actions): every jar in DIR is installed and started; DIR is
#                            watched while the process runs: a jar added is installed and started, one replaced is
#                            updated, one removed is uninstalled. DIR must be yours and writable by nobody else
#   --demo                   start the demo bundle (actions demo.echo, demo.read-fd, ...: allow them with
#                            --allow 'demo.*'); without it the bundle is installed but not started
#   -h, --help               this text
#
# Configuration reaches the bundles through FileInstall, which watches the conf dir (and the --bundles DIR) every
# 500 ms. With a role, this script writes one channel's file, dev.mpchannel.channel-<prefix>.cfg, into a temp conf
# dir (only the keys given; the defaults apply to the rest).
# With --conf DIR, DIR is used as it is: each dev.mpchannel.channel-NAME.cfg in it is one channel (a primary of one
# and a secondary of another may share the process), beside other .cfg files such as dev.mpchannel.demo.cfg; adding,
# editing or deleting a file there while the process runs adds, re-creates or closes that channel alone.
#
# On a terminal you get a Gogo prompt (`lb`, `scr:list`, `mp:status`, `stop 0` or Ctrl-D to quit). Without one
# (stdin not a TTY, e.g. started in the background) Gogo stays silent and the JVM keeps running until it is
# signalled. SIGTERM / Ctrl-C stop the OSGi framework in order (exit 143 / 130); `stop 0` in Gogo exits with 0.
# Needs Java 17 to 25 (tested on 17 and 25).
#
# --console PORT runs dist/target/mpchannel-console.jar instead: the same bundles plus Felix Web Console 5 on Felix
# HTTP Jetty 12, the health checks and the console's mpchannel tab. Jetty listens on 127.0.0.1 only; the console asks
# for its user and password (admin/admin unless set: MPCHANNEL_JAVA_OPTS="-Dfelix.webconsole.password=..."; to listen
# on every interface, -Dorg.apache.felix.http.host=0.0.0.0).
#
# Environment:
#   JAVA_HOME               java to use (else `java` on PATH)
#   MPCHANNEL_LOG_LEVEL     slf4j-simple level: trace|debug|info|warn|error (default info)
#   MPCHANNEL_JAVA_OPTS     extra JVM options, split on spaces
#   MPCHANNEL_REBUILD=1     rebuild the dist even if dist/target/mpchannel.jar exists
#   MPCHANNEL_RUN_DIR       (used by demo.sh) an existing dir this process may use for its Felix cache and temp
#                           files; the caller then owns and removes it, and no cleanup watcher is started
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR="$ROOT/dist/target/mpchannel.jar"
CONSOLE_JAR="$ROOT/dist/target/mpchannel-console.jar"

usage() {
    echo "usage: mpchannel.sh primary|secondary|auto [--prefix P] [--socket-dir D] [--allow GLOBS] [--bundles DIR] [--demo]" >&2
    echo "       mpchannel.sh --conf DIR [--bundles DIR] [--demo]     (-h: help)" >&2
    echo "       either with --console PORT  (the Felix Web Console on 127.0.0.1:PORT)" >&2
    exit 2
}

die() {
    echo "mpchannel.sh: $*" >&2
    exit 2
}

if [[ $# -ge 1 && ( $1 == -h || $1 == --help ) ]]; then
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
[[ $# -ge 1 ]] || usage
role=""
if [[ $1 != -* ]]; then
    role=$1
    shift
    [[ $role == primary || $role == secondary || $role == auto ]] ||
        die "role must be primary, secondary or auto, not '$role'"
fi

prefix="" socket_dir="" allow="" conf="" bundles="" demo=false console=""
while [[ $# -gt 0 ]]; do
    # Every option but --demo takes a value; check it is there rather than die on an unbound $2 (set -u).
    case $1 in
        --prefix | --socket-dir | --allow | --conf | --bundles | --console) [[ $# -ge 2 ]] || die "$1 needs a value" ;;
        *) ;;
    esac
    case $1 in
        --prefix) prefix=$2; shift 2 ;;
        --socket-dir) socket_dir=$2; shift 2 ;;
        --allow) allow=$2; shift 2 ;;
        --conf) conf=$2; shift 2 ;;
        --bundles) [[ -z $bundles ]] || die "--bundles given twice: put all your bundles in one DIR"
            bundles=$2; shift 2 ;;
        --demo) demo=true; shift ;;
        --console) console=$2; shift 2 ;;
        -h | --help) exec "${BASH_SOURCE[0]}" --help ;;
        *) die "unknown option '$1'" ;;
    esac
done

if [[ -n $conf ]]; then
    # A given conf dir is the whole truth; mixing it with a role or per-key options would silently ignore one of them.
    [[ -z $role && -z $prefix && -z $socket_dir && -z $allow ]] ||
        die "--conf DIR takes no role, --prefix, --socket-dir or --allow: put them in DIR/dev.mpchannel.channel-NAME.cfg"
    [[ -d $conf ]] || die "--conf: '$conf' is not a directory"
    conf=$(cd "$conf" && pwd)
    [[ ! -f $conf/dev.mpchannel.cfg ]] ||
        die "'$conf/dev.mpchannel.cfg' is not read: rename it to dev.mpchannel.channel-NAME.cfg (one file per channel)"
    compgen -G "$conf/dev.mpchannel.channel-*.cfg" >/dev/null ||
        die "no channel in '$conf': put one dev.mpchannel.channel-NAME.cfg there per channel (role=..., prefix=...)"
else
    [[ -n $role ]] || usage
fi

if [[ -n $bundles ]]; then
    # Whatever is in DIR runs inside this JVM with this user's rights: it must be this user's alone (as ssh-agent
    # checks its socket dir), never a link that someone could turn elsewhere.
    [[ ! -L $bundles ]] || die "--bundles: '$bundles' is a symbolic link; give the directory itself"
    [[ -d $bundles ]] || die "--bundles: '$bundles' is not a directory (mkdir it and put your bundle jars there)"
    bundles=$(cd "$bundles" && pwd)
    [[ $bundles != *,* ]] || die "--bundles: '$bundles' has a comma in its path, which FileInstall takes as a separator"
    read -r owner mode < <(stat -c '%u %a' "$bundles")
    [[ $owner == "$(id -u)" ]] || die "--bundles: '$bundles' belongs to uid $owner, not to you (uid $(id -u))"
    (((8#$mode & 8#022) == 0)) || die "--bundles: '$bundles' is writable by others (mode $mode); chmod go-w it"
fi

if [[ -n $console ]]; then
    [[ $console =~ ^[0-9]{1,5}$ ]] && ((console >= 1 && console <= 65535)) ||
        die "--console needs a TCP port (1 to 65535), not '$console'"
    JAR=$CONSOLE_JAR
fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null || die "java not found (set JAVA_HOME or PATH)"
# The bundles are built for Java 17; 17 and 25 (the LTS releases) are the ones tested, and those between them.
java_major=$("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
if [[ $java_major =~ ^[0-9]+$ ]] && ((java_major < 17 || java_major > 25)); then
    die "needs Java 17 to 25 ($java is $java_major); set JAVA_HOME, e.g. JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"
fi

# Build on first use only: a full reactor build is slow, and once the jar exists `mvn install` is the user's call.
if [[ ! -f $JAR || ${MPCHANNEL_REBUILD:-0} == 1 ]]; then
    echo "mpchannel.sh: building the distribution (mvn -B -q -DskipTests install) ..." >&2
    (cd "$ROOT" && mvn -B -q -DskipTests install) >&2
    [[ -f $JAR ]] || die "the build did not produce $JAR"
fi

# Everything this process writes (conf, Felix cache, java.io.tmpdir: FileInstall's
# and junixsocket's extracted native library) goes into one private dir, so that one rm removes it all, even
# after a SIGKILL. Never the repo, never the cwd.
if [[ -n ${MPCHANNEL_RUN_DIR:-} ]]; then
    run_dir=$MPCHANNEL_RUN_DIR
    [[ -d $run_dir ]] || die "MPCHANNEL_RUN_DIR '$run_dir' is not a directory"
else
    run_dir=$(mktemp -d "${TMPDIR:-/tmp}/mpchannel-${role:-conf}.XXXXXX")
    # We exec java below (so signals, the TTY and the exit code are java's own), which leaves no shell to run an
    # EXIT trap. A detached watcher removes the dir once this PID (java after the exec) is gone; it ignores
    # INT/TERM/HUP so that Ctrl-C on the terminal, which signals the whole process group, does not kill it first.
    pid=$$
    (
        trap '' INT TERM HUP
        while kill -0 "$pid" 2>/dev/null; do sleep 1; done
        rm -rf -- "$run_dir"
    ) </dev/null >/dev/null 2>&1 &
fi
mkdir -p "$run_dir/felix-cache" "$run_dir/tmp"

if [[ -z $conf ]]; then
    conf="$run_dir/conf"
    mkdir -p "$conf"
    # Written to a dot-name then renamed: FileInstall ignores dot files, so it never reads a half-written .cfg.
    {
        echo "# written by mpchannel.sh"
        echo "role=$role"
        [[ -z $prefix ]] || echo "prefix=$prefix"
        if [[ -n $socket_dir ]]; then
            # Absolute, so that it does not depend on the JVM's working directory.
            [[ $socket_dir == /* ]] || socket_dir="$PWD/$socket_dir"
            echo "socket.dir=$socket_dir"
        fi
        [[ -z $allow ]] || echo "allowed.actions=$allow"
    } >"$conf/.channel.cfg.tmp"
    mv "$conf/.channel.cfg.tmp" "$conf/dev.mpchannel.channel-${prefix:-mpchannel}.cfg"
fi

# Gogo 1.1.x reads gosh.args: with none it opens a prompt and stops the framework when stdin ends (a background
# JVM with stdin at EOF would stop at once); --nointeractive opens no console at all, so the JVM runs until
# signalled. The jar's own default is --noshutdown (prompt if possible, never stop on EOF).
if [[ -t 0 ]]; then
    gosh_args=""
else
    gosh_args="--nointeractive"
fi

java_opts=(
    # Felix storage: per process, wiped on start. (The jar's launcher honours this system property.)
    "-Dorg.osgi.framework.storage=$run_dir/felix-cache"
    "-Dorg.osgi.framework.storage.clean=onFirstInit"
    "-Djava.io.tmpdir=$run_dir/tmp"
    # FileInstall: watch the conf dir (and the bundles dir: a comma-separated list makes one watcher each); 500 ms
    # poll; errors only; never write ConfigAdmin changes back to .cfg files.
    "-Dfelix.fileinstall.dir=$conf${bundles:+,$bundles}"
    "-Dfelix.fileinstall.poll=500"
    "-Dfelix.fileinstall.noInitialDelay=true"
    "-Dfelix.fileinstall.log.level=1"
    "-Dfelix.fileinstall.enableConfigSave=false"
    "-Dgosh.args=$gosh_args"
    # The jar installs the demo bundle without starting it (launcher.install.only); an empty list starts it too.
    "-Dlauncher.install.only=$([[ $demo == true ]] || echo mpchannel-demo)"
    # slf4j-simple: stderr, one short line per event.
    "-Dorg.slf4j.simpleLogger.logFile=System.err"
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=${MPCHANNEL_LOG_LEVEL:-info}"
    "-Dorg.slf4j.simpleLogger.showDateTime=true"
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
    "-Dorg.slf4j.simpleLogger.showThreadName=false"
    "-Dorg.slf4j.simpleLogger.showShortLogName=true"
    # junixsocket loads a JNI library; Java 22+ warns about that unless native access is granted (17 accepts it).
    "--enable-native-access=ALL-UNNAMED"
)
if [[ -n $console ]]; then
    # Felix HTTP Jetty 12: the port; the host (127.0.0.1) is the jar's default, which MPCHANNEL_JAVA_OPTS may override
    java_opts+=("-Dorg.osgi.service.http.port=$console")
fi
# Felix 7.0.5 (the newest) calls sun.misc.Unsafe::staticFieldOffset at start, which Java 24+ reports with a
# 4-line warning on every start ("terminally deprecated", JEP 471/498); allow it quietly (the option exists since 23).
if [[ $java_major =~ ^[0-9]+$ ]] && ((java_major >= 23)); then
    java_opts+=("--sun-misc-unsafe-memory-access=allow")
fi
# MPCHANNEL_JAVA_OPTS is a space-separated list (read -a: split on spaces, no glob expansion).
read -r -a extra_opts <<<"${MPCHANNEL_JAVA_OPTS:-}"

exec "$java" "${java_opts[@]}" "${extra_opts[@]}" -jar "$JAR"
