package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * How the driver measures, through the public API only: timed steps after a bounded warm-up, broadcasts, the
 * fan-out against the same requests one after another, one-way throughput, and the checks that every reply is the
 * one expected (a wrong answer must fail the run, not speed it up). Latencies are recorded in HdrHistograms; where
 * one peer answers, the context switches of both processes are counted over the timed runs. Each figure goes to
 * {@link HarnessFiles}.
 */
final class Workloads {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One measured operation. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final Channel channel;
    private final HarnessFiles files;
    private final DriverProperties properties;

    Workloads(Channel channel, HarnessFiles files, DriverProperties properties) {
        this.channel = channel;
        this.files = files;
        this.properties = properties;
    }

    /** A latency without counting context switches (the other side is many processes). */
    void latency(String workload, int warmup, int count, Step step) throws Exception {
        latency(workload, warmup, count, 0, step);
    }

    /** Untimed runs of a step: {@code count}, or fewer if mpbench.warmup.seconds pass first. */
    void warm(int count, Step step) throws Exception {
        long warmupEnd = warmupEnd();
        for (int i = 0; i < count && System.nanoTime() < warmupEnd; i++) {
            step.run();
        }
    }

    /**
     * {@code count} timed runs of a step after a warm-up (its count, then on until this JVM's JIT has compiled nothing
     * for a second, for mpbench.jit.quiet.seconds at most and within mpbench.warmup.seconds in all), recorded in an
     * HdrHistogram; with a peer's pid, the context switches of this process and of the peer over the timed runs too.
     */
    void latency(String workload, int warmup, int count, long peerPid, Step step) throws Exception {
        long warmupEnd = warmupEnd();
        for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
            step.run();
        }
        Duration left = Duration.ofNanos(Math.max(0, warmupEnd - System.nanoTime()));
        Duration most = left.compareTo(jitQuietMost()) < 0 ? left : jitQuietMost();
        JitQuiet quiet = new JitQuiet(Duration.ofSeconds(1), most);
        while (!quiet.reached()) {
            step.run();
        }
        Histogram samples = HarnessFiles.newHistogram();
        long self = ProcessHandle.current().pid();
        ContextSwitches[] before = peerPid > 0 ? ContextSwitches.of(self, peerPid) : null;
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            step.run();
            samples.recordValue(System.nanoTime() - t0);
        }
        if (before != null) {
            files.switches(workload, count, before, ContextSwitches.of(self, peerPid));
        }
        files.latency(workload, samples);
    }

    /**
     * The warm-up ends after its count of runs or mpbench.warmup.seconds, whichever comes first: a new secondary
     * framework's code is compiled by the JIT on its own, and a quick run cannot always wait for all of it.
     */
    private long warmupEnd() {
        return System.nanoTime() + Duration.ofSeconds(properties.intProperty("mpbench.warmup.seconds", 60)).toNanos();
    }

    /** The most a warm-up waits, after its count, for the JIT to go quiet ({@code mpbench.jit.quiet.seconds}). */
    private Duration jitQuietMost() {
        return Duration.ofSeconds(properties.intProperty("mpbench.jit.quiet.seconds", 30));
    }

    /**
     * The large-parameter round trips, named {@code <workload><size>}; with {@code workload} null, untimed ones to warm
     * up the large path: as many of each size as timed, then one of each size in turn until this JVM's JIT has
     * compiled nothing for a second ({@code mpbench.jit.quiet.seconds} at most). The 64 B warm-up never runs the
     * shared-memory path, whose types and branches make the JIT throw away and redo what it compiled for the small one,
     * and again as the sizes change; a warm-up by count alone left the timed large rows sharing the
     * pinned core with the compiler threads of both JVMs (perf: 22% to 58% of it; their logs: 7 to 8 s of C2
     * compilation in each JVM during the large rows).
     */
    void large(Peer peer, String workload) throws Exception {
        // scoped (the default): the echo reads its parameters only while it runs and the replies are closed, so that
        // their shared memory is reused at once; otherwise both wait for the garbage collector
        boolean scoped = !"false".equals(System.getProperty("mpbench.large.scoped"));
        List<Step> steps = new java.util.ArrayList<>();
        for (String spec : properties.strings("mpbench.large", "65536:1000,1048576:100,16777216:10")) {
            String[] parts = spec.split(":");
            int size = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            Message request = Message.of(scoped ? EchoAction.NAME : UnscopedEchoAction.NAME, new byte[size]);
            Step step = () -> {
                Replies replies = channel.request(peer, request, TIMEOUT);
                checkEcho(replies, size);
                if (scoped) {
                    replies.close();
                }
            };
            if (workload == null) {
                for (int i = 0; i < n + n / 5; i++) {
                    step.run();
                }
                steps.add(step);
            } else {
                latency(workload + size, Math.max(2, n / 5), n, peer.pid(), step);
            }
        }
        JitQuiet quiet = new JitQuiet(Duration.ofSeconds(1), jitQuietMost());
        while (!steps.isEmpty() && !quiet.reached()) {
            for (Step step : steps) {
                step.run();
            }
        }
    }

    void broadcast(String workload, int n, int warmup, int iters) throws Exception {
        Message request = Message.of(EchoAction.NAME, new byte[64]);
        latency(workload, warmup, iters, () -> {
            Replies replies = channel.request(request, TIMEOUT);
            if (replies.sent() != n || replies.received() != n) {
                throw new IllegalStateException(workload + ": sent " + replies.sent() + ", received "
                        + replies.received() + ", expected " + n + ": " + firstProblem(replies));
            }
        });
    }

    /**
     * A request to N secondaries at once, and the same N asked one after another (what DPDK's
     * rte_mp_request_sync does), interleaved (one sweep every 4th broadcast) so that both see the same conditions.
     */
    void fanout(int n, List<Peer> all, int warmup, int iters) throws Exception {
        Message request = Message.of(EchoAction.NAME, new byte[64]);
        Step broadcast = () -> {
            Replies replies = channel.request(request, TIMEOUT);
            if (replies.sent() != n || replies.received() != n) {
                throw new IllegalStateException("fanout-" + n + ": sent " + replies.sent() + ", received "
                        + replies.received() + ": " + firstProblem(replies));
            }
        };
        Step sweep = () -> {
            for (Peer each : all) {
                checkEcho(channel.request(each, request, TIMEOUT), 64);
            }
        };
        long warmupEnd = warmupEnd();
        for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
            broadcast.run();
            if (i % 4 == 0) {
                sweep.run();
            }
        }
        Histogram together = HarnessFiles.newHistogram();
        Histogram oneByOne = HarnessFiles.newHistogram();
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            broadcast.run();
            together.recordValue(System.nanoTime() - t0);
            if (i % 4 == 0) {
                t0 = System.nanoTime();
                sweep.run();
                oneByOne.recordValue(System.nanoTime() - t0);
            }
        }
        files.latency("fanout-" + n, together);
        files.latency("fanout-seq-" + n, oneByOne);
    }

    /**
     * COUNT messages of 64 bytes, then a request that the sink answers once it has handled all of them; with a batch
     * over 1, they go {@code batch} at a time through {@link Channel#sendAll(Peer, List)}.
     */
    void oneway(Peer peer, int count, int batch, int reps, String sink, String workload) throws Exception {
        Message message = Message.of(sink, new byte[64]);
        List<Message> messages = java.util.Collections.nCopies(batch, message);
        Message end = Message.of(sink);
        double[] rates = new double[reps];
        long self = ProcessHandle.current().pid();
        ContextSwitches[] before = null;
        for (int r = -1; r < reps; r++) { // one repetition of warm-up
            if (r == 0) {
                before = ContextSwitches.of(self, peer.pid());
            }
            long t0 = System.nanoTime();
            if (batch > 1) {
                for (int i = 0; i < count; i += batch) {
                    channel.sendAll(peer, messages.subList(0, Math.min(batch, count - i)));
                }
            } else {
                for (int i = 0; i < count; i++) {
                    channel.send(peer, message);
                }
            }
            Replies replies = channel.request(peer, end, TIMEOUT);
            long elapsed = System.nanoTime() - t0;
            String got = replied(replies).paramsAsString();
            if (!got.equals(Integer.toString(count))) {
                throw new IllegalStateException("the sink received " + got + " messages, not " + count);
            }
            if (r >= 0) {
                rates[r] = count * 1e9 / elapsed;
            }
        }
        files.switches(workload, (long) count * reps, before, ContextSwitches.of(self, peer.pid()));
        Arrays.sort(rates); // the few repetitions
        // the median repetition, and the slowest one as the tail
        files.result(workload, rates[reps / 2], rates[0], "msg/s", reps);
    }

    /** The one reply, checked to carry {@code size} bytes back. */
    static Message checkEcho(Replies replies, int size) {
        Message reply = replied(replies);
        if (reply.paramsLength() != size) {
            throw new IllegalStateException("echo of " + size + " bytes came back with " + reply.paramsLength());
        }
        return reply;
    }

    private static Message replied(Replies replies) {
        if (replies.received() != 1) {
            throw new IllegalStateException("no reply: " + firstProblem(replies));
        }
        return replies.replies().get(0).message();
    }

    private static String firstProblem(Replies replies) {
        return replies.replies().stream().filter(r -> !r.replied()).findFirst()
                .map(r -> r.peer() + " " + r.status() + " " + r.reason()).orElse("none");
    }
}
