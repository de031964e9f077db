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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Measures mpchannel in the primary, through the public API only, when the framework property
 * {@code mpbench.driver.dir} names a directory (otherwise it does nothing). It talks to the harness through two
 * files there: {@code status} says what it waits for ({@code need N}: N connected secondaries) and finally
 * {@code done} or {@code failed: ...}; {@code results.txt} gets the figures (a latency's HdrHistogram, a throughput
 * or a cost, context switches: see {@link HarnessFiles}).
 * <p>
 * The plan, in order: with one secondary, request/reply round trips (64 B, 1 KiB), the same with one descriptor
 * each way, one-way throughput, large parameters, and the broadcast to 1; then the broadcast with more secondaries
 * as the harness adds them (4, 16, 64), and the scale step (1,000): heap, descriptors and threads the primary spends
 * per extra secondary, and the broadcast time. Counts come from {@code mpbench.*} properties.
 * <p>
 * This class holds the plan; how each workload is timed is {@link Workloads}, the files {@link HarnessFiles}.
 */
@Component(immediate = true)
public final class Driver {
    @Reference(target = "(" + Channel.ROLE + "=primary)")
    private Channel channel;

    private Thread runner;
    private HarnessFiles files;
    private DriverProperties properties;
    private Workloads workloads;

    @Activate
    void activate(BundleContext context) {
        String where = context.getProperty("mpbench.driver.dir");
        if (where == null) {
            return;
        }
        this.properties = new DriverProperties(context);
        this.files = new HarnessFiles(Path.of(where));
        this.workloads = new Workloads(channel, files, properties);
        runner = new Thread(this::runSafely, "mpbench-driver");
        runner.start();
    }

    @Deactivate
    void deactivate() {
        if (runner != null) {
            runner.interrupt();
        }
    }

    private void runSafely() {
        try {
            run();
            files.status("done");
        } catch (InterruptedException e) {
            // stopped by the harness
        } catch (Throwable e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.println("mpbench driver failed: " + trace);
            try {
                files.status("failed: " + e.toString().replace('\n', ' '));
            } catch (IOException ignored) {
                // the harness times out instead
            }
        }
    }

    private void run() throws Exception {
        int warmup = properties.intProperty("mpbench.warmup", 20_000);
        int iters = properties.intProperty("mpbench.iters", 10_000);
        int reps = properties.intProperty("mpbench.reps", 5);

        Peer peer = awaitPeers(1).get(0);
        if (Boolean.getBoolean("mpbench.scale.only")) { // the run with another reading design: the scale step only,
            int connected = 1; // with the same secondaries as the main run (the fan-out's Felix ones among them)
            for (int n : properties.ints("mpbench.fanout", "1,4,16,64")) {
                awaitPeers(n);
                connected = Math.max(connected, n);
            }
            scale(connected, System.getProperty("mpbench.scale.workload", "scale-"));
            return;
        }
        if (Boolean.getBoolean("mpbench.large.only")) { // the run with inline.max.bytes raised: large rows only
            if (Boolean.getBoolean("mpbench.large.warm")) { // alone in its JVM: the JIT has not compiled the path yet
                Message small = Message.of(EchoAction.NAME, new byte[64]);
                workloads.warm(warmup, () -> Workloads.checkEcho(channel.request(peer, small, Workloads.TIMEOUT), 64));
                workloads.large(peer, null);
            }
            workloads.large(peer, System.getProperty("mpbench.large.workload", "rtt-socket-"));
            return;
        }
        String rttOnly = System.getProperty("mpbench.rtt.only"); // the run with another design: its rows only
        for (int size : rttOnly != null ? List.of(64) : properties.ints("mpbench.sizes", "64,1024")) {
            String prefix = rttOnly != null ? "rtt-" + rttOnly + "-" : "rtt-";
            byte[] params = new byte[size];
            Message request = Message.of(EchoAction.NAME, params);
            workloads.latency(prefix + size, warmup, iters * reps, peer.pid(),
                    () -> Workloads.checkEcho(channel.request(peer, request, Workloads.TIMEOUT), size));
            Message inline = Message.of(InlineEchoAction.NAME, params);
            workloads.latency(prefix + "inline-" + size, warmup, iters * reps, peer.pid(),
                    () -> Workloads.checkEcho(channel.request(peer, inline, Workloads.TIMEOUT), size));
        }
        if (rttOnly != null) {
            return;
        }
        try (FileInputStream mine = new FileInputStream("/dev/null")) {
            // the requester keeps its descriptor (the kernel duplicates it) and closes the one each reply brings
            for (int size : properties.ints("mpbench.sizes", "64,1024")) {
                Message request = Message.of(FdEchoAction.NAME, new byte[size]).withFileDescriptors(mine.getFD());
                workloads.latency("rtt-fd-" + size, warmup / 2, iters * reps, peer.pid(), () -> {
                    Replies replies = channel.request(peer, request, Workloads.TIMEOUT);
                    Message reply = Workloads.checkEcho(replies, size);
                    if (reply.fileDescriptors().size() != 1) {
                        throw new IllegalStateException("expected one descriptor in the reply, got " + reply);
                    }
                    for (FileDescriptor fd : reply.fileDescriptors()) {
                        FdEchoAction.close(fd);
                    }
                });
            }
        }
        int onewayCount = properties.intProperty("mpbench.oneway.count", 200_000);
        int onewayReps = properties.intProperty("mpbench.oneway.reps", 5);
        int batch = properties.intProperty("mpbench.oneway.batch", 32);
        workloads.oneway(peer, onewayCount, 1, onewayReps, SinkAction.NAME, "oneway-64");
        workloads.oneway(peer, onewayCount, 1, onewayReps, InlineSinkAction.NAME, "oneway-inline-64");
        workloads.oneway(peer, onewayCount, batch, onewayReps, SinkAction.NAME, "oneway-batch-64");
        workloads.oneway(peer, onewayCount, batch, onewayReps, InlineSinkAction.NAME, "oneway-batch-inline-64");
        // untimed large round trips first: the 64 B warm-up above never ran the shared-memory path (segments, mappings,
        // releases), and the large rows' own warm-up (a fifth of their samples) is too short to compile it
        workloads.large(peer, null);
        workloads.large(peer, "rtt-");

        int fanoutWarmup = properties.intProperty("mpbench.fanout.warmup", 500);
        int fanoutIters = properties.intProperty("mpbench.fanout.iters", 2000);
        int connected = 1;
        for (int n : properties.ints("mpbench.fanout", "1,4,16,64")) {
            List<Peer> all = awaitPeers(n);
            connected = n;
            if (n == 1) {
                workloads.broadcast("fanout-1", 1, fanoutWarmup, fanoutIters);
            } else {
                workloads.fanout(n, all, fanoutWarmup, fanoutIters);
            }
        }

        scale(connected, "scale-");
    }

    /** The scale step: what each secondary beyond {@code connected} costs the primary, and a request to all. */
    private void scale(int connected, String prefix) throws Exception {
        int scale = properties.intProperty("mpbench.scale", 1000);
        if (scale > connected) {
            ProcessUsage before = ProcessUsage.now();
            awaitPeers(scale);
            Thread.sleep(500); // let the last ones' reader threads start
            ProcessUsage after = ProcessUsage.now();
            double extra = scale - connected;
            files.result(prefix + "heap-per-secondary", (after.heap() - before.heap()) / extra, "B", 1);
            files.result(prefix + "fds-per-secondary", (after.fds() - before.fds()) / extra, "fd", 1);
            files.result(prefix + "threads-per-secondary", (after.threads() - before.threads()) / extra, "thread", 1);
            files.result(prefix + "rss-per-secondary", (after.rss() - before.rss()) / extra, "B", 1);
            workloads.broadcast(prefix + "broadcast-" + scale, scale, properties.intProperty("mpbench.scale.warmup",
                    20), properties.intProperty("mpbench.scale.iters", 100));
        }
    }

    /** Asks the harness for n secondaries (status {@code need n}) and waits until that many are connected. */
    private List<Peer> awaitPeers(int n) throws IOException, InterruptedException {
        files.status("need " + n);
        long deadline = System.nanoTime()
                + Duration.ofSeconds(properties.intProperty("mpbench.wait.seconds", 180)).toNanos();
        List<Peer> peers;
        while ((peers = channel.peers()).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited in vain for " + n + " secondaries; " + peers.size() + " came");
            }
            Thread.sleep(20);
        }
        files.status("have " + peers.size());
        return peers;
    }
}
