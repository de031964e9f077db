package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Measures mpchannel in the primary, through the public API only, when the framework property
 * {@code mpbench.driver.dir} names a directory (otherwise it does nothing). It talks to the harness through two
 * files there: {@code status} says what it waits for ({@code need N}: N connected secondaries) and finally
 * {@code done} or {@code failed: ...}; {@code results.txt} gets one line per figure,
 * {@code RESULT mpchannel <workload> <p50> <p99> <unit> <samples>}.
 * <p>
 * The plan, in order: with one secondary, request/reply round trips (64 B, 1 KiB), the same with one descriptor
 * each way, one-way throughput, large parameters, and the broadcast to 1; then the broadcast with more secondaries
 * as the harness adds them (4, 16, 64), and the scale step (1,000): heap, descriptors and threads the primary spends
 * per extra secondary, and the broadcast time. Counts come from {@code mpbench.*} properties.
 */
@Component(immediate = true)
public final class Driver {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Reference(target = "(" + Channel.ROLE + "=primary)")
    private Channel channel;

    private Thread runner;
    private Path dir;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        String where = context.getProperty("mpbench.driver.dir");
        if (where == null) {
            return;
        }
        this.context = context;
        this.dir = Path.of(where);
        runner = new Thread(this::runSafely, "mpbench-driver");
        runner.start();
    }

    @Deactivate
    void deactivate() {
        if (runner != null) {
            runner.interrupt();
        }
    }

    /** The large-parameter round trips, named {@code <workload><size>}. */
    private void large(Peer peer, String workload) throws Exception {
        for (String spec : strings("mpbench.large", "65536:1000,1048576:100,16777216:10")) {
            String[] parts = spec.split(":");
            int size = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            Message request = Message.of(EchoAction.NAME, new byte[size]);
            latency(workload + size, Math.max(2, n / 5), n, () -> checkEcho(channel.request(peer, request, TIMEOUT), size));
        }
    }

    private void runSafely() {
        try {
            run();
            status("done");
        } catch (InterruptedException e) {
            // stopped by the harness
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.println("mpbench driver failed: " + trace);
            try {
                status("failed: " + e.toString().replace('\n', ' '));
            } catch (IOException ignored) {
                // the harness times out instead
            }
        }
    }

    private void run() throws Exception {
        int warmup = intProperty("mpbench.warmup", 20_000);
        int iters = intProperty("mpbench.iters", 10_000);
        int reps = intProperty("mpbench.reps", 5);

        Peer peer = awaitPeers(1).get(0);
        if (Boolean.getBoolean("mpbench.large.only")) { // the run with inline.max.bytes raised: large rows only
            large(peer, System.getProperty("mpbench.large.workload", "rtt-socket-"));
            return;
        }
        for (int size : ints("mpbench.sizes", "64,1024")) {
            byte[] params = new byte[size];
            Message request = Message.of(EchoAction.NAME, params);
            latency("rtt-" + size, warmup, iters * reps, () -> checkEcho(channel.request(peer, request, TIMEOUT), size));
            Message inline = Message.of(InlineEchoAction.NAME, params);
            latency("rtt-inline-" + size, warmup, iters * reps,
                    () -> checkEcho(channel.request(peer, inline, TIMEOUT), size));
        }
        try (FileInputStream mine = new FileInputStream("/dev/null")) {
            // the requester keeps its descriptor (the kernel duplicates it) and closes the one each reply brings
            for (int size : ints("mpbench.sizes", "64,1024")) {
                Message request = Message.of(FdEchoAction.NAME, new byte[size]).withFileDescriptors(mine.getFD());
                latency("rtt-fd-" + size, warmup / 2, iters * reps, () -> {
                    Replies replies = channel.request(peer, request, TIMEOUT);
                    Message reply = checkEcho(replies, size);
                    if (reply.fileDescriptors().size() != 1) {
                        throw new IllegalStateException("expected one descriptor in the reply, got " + reply);
                    }
                    for (FileDescriptor fd : reply.fileDescriptors()) {
                        FdEchoAction.close(fd);
                    }
                });
            }
        }
        oneway(peer, intProperty("mpbench.oneway.count", 200_000), intProperty("mpbench.oneway.reps", 5),
                SinkAction.NAME, "oneway-64");
        oneway(peer, intProperty("mpbench.oneway.count", 200_000), intProperty("mpbench.oneway.reps", 5),
                InlineSinkAction.NAME, "oneway-inline-64");
        large(peer, "rtt-");

        int fanoutWarmup = intProperty("mpbench.fanout.warmup", 500);
        int fanoutIters = intProperty("mpbench.fanout.iters", 2000);
        int connected = 1;
        for (int n : ints("mpbench.fanout", "1,4,16,64")) {
            List<Peer> all = awaitPeers(n);
            connected = n;
            if (n == 1) {
                broadcast("fanout-1", 1, fanoutWarmup, fanoutIters);
            } else {
                fanout(n, all, fanoutWarmup, fanoutIters);
            }
        }

        int scale = intProperty("mpbench.scale", 1000);
        if (scale > connected) {
            Usage before = Usage.now();
            awaitPeers(scale);
            Thread.sleep(500); // let the last ones' reader threads start
            Usage after = Usage.now();
            double extra = scale - connected;
            result("scale-heap-per-secondary", (after.heap - before.heap) / extra, "B", 1);
            result("scale-fds-per-secondary", (after.fds - before.fds) / extra, "fd", 1);
            result("scale-threads-per-secondary", (after.threads - before.threads) / extra, "thread", 1);
            result("scale-rss-per-secondary", (after.rss - before.rss) / extra, "B", 1);
            broadcast("scale-broadcast-" + scale, scale, intProperty("mpbench.scale.warmup", 20),
                    intProperty("mpbench.scale.iters", 100));
        }
    }

    // --- workloads -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private void latency(String workload, int warmup, int count, Step step) throws Exception {
        // the warm-up ends after `warmup` runs or mpbench.warmup.seconds, whichever comes first: a new secondary
        // framework's code is compiled by the JIT on its own, and a quick run cannot always wait for all of it
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(intProperty("mpbench.warmup.seconds", 60)).toNanos();
        for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
            step.run();
        }
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            step.run();
            samples[i] = System.nanoTime() - t0;
        }
        latencyResult(workload, samples);
    }

    private void broadcast(String workload, int n, int warmup, int iters) throws Exception {
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
    private void fanout(int n, List<Peer> all, int warmup, int iters) throws Exception {
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
        long warmupEnd = System.nanoTime() + Duration.ofSeconds(intProperty("mpbench.warmup.seconds", 60)).toNanos();
        for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
            broadcast.run();
            if (i % 4 == 0) {
                sweep.run();
            }
        }
        long[] together = new long[iters];
        long[] oneByOne = new long[(iters + 3) / 4];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            broadcast.run();
            together[i] = System.nanoTime() - t0;
            if (i % 4 == 0) {
                t0 = System.nanoTime();
                sweep.run();
                oneByOne[i / 4] = System.nanoTime() - t0;
            }
        }
        latencyResult("fanout-" + n, together);
        latencyResult("fanout-seq-" + n, oneByOne);
    }

    /** COUNT messages of 64 bytes, then a request that the sink answers once it has handled all of them. */
    private void oneway(Peer peer, int count, int reps, String sink, String workload) throws Exception {
        Message message = Message.of(sink, new byte[64]);
        Message end = Message.of(sink);
        double[] rates = new double[reps];
        for (int r = -1; r < reps; r++) { // one repetition of warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                channel.send(peer, message);
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
        Arrays.sort(rates);
        // the median repetition, and the slowest one as the tail
        result(workload, rates[reps / 2], rates[0], "msg/s", reps);
    }

    private Message checkEcho(Replies replies, int size) {
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

    // --- coordination with the harness -----------------------------------------------------------------------------

    private List<Peer> awaitPeers(int n) throws IOException, InterruptedException {
        status("need " + n);
        long deadline = System.nanoTime() + Duration.ofSeconds(intProperty("mpbench.wait.seconds", 180)).toNanos();
        List<Peer> peers;
        while ((peers = channel.peers()).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited in vain for " + n + " secondaries; " + peers.size() + " came");
            }
            Thread.sleep(20);
        }
        status("have " + peers.size());
        return peers;
    }

    private void status(String text) throws IOException {
        Path tmp = dir.resolve(".status.tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, dir.resolve("status"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void latencyResult(String workload, long[] samples) throws IOException {
        Arrays.sort(samples);
        result(workload, percentile(samples, 50), percentile(samples, 99), "ns", samples.length);
    }

    private void result(String workload, double value, String unit, int n) throws IOException {
        result(workload, value, value, unit, n);
    }

    private void result(String workload, double p50, double p99, String unit, int n) throws IOException {
        String line = String.format(Locale.ROOT, "RESULT mpchannel %s %.1f %.1f %s %d%n", workload, p50, p99, unit, n);
        Files.writeString(dir.resolve("results.txt"), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private int intProperty(String key, int fallback) {
        String value = context.getProperty(key);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    private List<String> strings(String key, String fallback) {
        String value = context.getProperty(key);
        List<String> list = new ArrayList<>();
        for (String part : (value == null ? fallback : value).split(",")) {
            if (!part.isBlank()) {
                list.add(part.trim());
            }
        }
        return list;
    }

    private List<Integer> ints(String key, String fallback) {
        return strings(key, fallback).stream().map(Integer::valueOf).toList();
    }

    /** What this process uses: heap after a full GC, open descriptors, threads, resident memory. */
    private record Usage(long heap, long fds, long threads, long rss) {
        static Usage now() throws IOException, InterruptedException {
            long heap = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) { // the lowest of a few full collections
                System.gc();
                Thread.sleep(100);
                heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            }
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new Usage(heap, fds, ManagementFactory.getThreadMXBean().getThreadCount(), rss);
        }
    }
}
