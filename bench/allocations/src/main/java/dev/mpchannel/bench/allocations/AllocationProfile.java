package dev.mpchannel.bench.allocations;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.channel.ChannelRuntime;
import dev.mpchannel.transport.channel.LocalChannels;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;

/**
 * What the channel allocates per message: a primary sends to one secondary (one message at a time, a request to an
 * ordinary and to an inline action, {@code sendAll} of 32), both in this JVM over a real Unix socket, and this
 * prints, per workload, the exact bytes per message (the JVM's per-thread counters, every thread of both sides) and
 * the sites JFR's allocation samples charge them to. The messages themselves are made once, before: what is counted
 * is the channel's work.
 * <p>
 * {@code AllocationProfile [--messages N] [--out FILE]} (default 200,000 a workload, after as many to warm up).
 */
public final class AllocationProfile {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 32;
    private static final int SITES = 12;

    private final ChannelRuntime primary;
    private final AtomicLong sunk = new AtomicLong();

    private AllocationProfile(ChannelRuntime primary) {
        this.primary = primary;
    }

    /** One workload: {@code count} messages' worth of it. */
    @FunctionalInterface
    private interface Workload {
        void run(int count) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int messages = 200_000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--messages N, --out FILE)");
            }
        }
        String report = run(messages);
        System.out.print(report);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
        }
    }

    /** Runs every workload and returns the report (Markdown). */
    static String run(int messages) throws Exception {
        Path dir = Files.createTempDirectory("mpchannel-allocations-");
        try (LocalChannels channels = LocalChannels.start(dir, "bench.*")) {
            ChannelRuntime secondary = channels.connectSecondary("bench.*");
            AllocationProfile profile = new AllocationProfile(channels.primary());
            secondary.actions().bind("bench.sink", context -> {
                profile.sunk.incrementAndGet();
                return null;
            }, false);
            secondary.actions().bind("bench.echo", context -> context.message(), false);
            secondary.actions().bind("bench.inline-echo", context -> context.message(), true);
            StringBuilder report = new StringBuilder("## Allocations per message\n\n"
                    + "Both sides (a primary and one secondary in one JVM, a real Unix socket), 64 B parameters, "
                    + String.format(Locale.ROOT, "%,d", messages) + " messages a workload after as many to warm up, "
                    + "Java " + Runtime.version().feature() + ". Exact: the JVM's per-thread allocation counters; "
                    + "sites: JFR's allocation samples (jdk.ObjectAllocationSample) charged to the first mpchannel "
                    + "method on the stack, the exact bytes shared out by their weights (an estimate: the "
                    + SITES + " largest sites).\n");
            report.append(profile.measure("one send at a time", messages, profile::sendOneByOne));
            report.append(profile.measure("request, ordinary action", messages, profile.requests("bench.echo")));
            report.append(profile.measure("request, inline action", messages, profile.requests("bench.inline-echo")));
            report.append(profile.measure("sendAll, " + BATCH + " a call", messages, profile::sendAll));
            return report.toString();
        } finally {
            deleteAll(dir);
        }
    }

    private void sendOneByOne(int count) throws Exception {
        Message message = Message.of("bench.sink", new byte[64]);
        long until = sunk.get() + count;
        for (int i = 0; i < count; i++) {
            primary.send(message);
        }
        awaitSunk(until);
    }

    private void sendAll(int count) throws Exception {
        List<Message> batch = Collections.nCopies(BATCH, Message.of("bench.sink", new byte[64]));
        long until = sunk.get() + count / BATCH * BATCH;
        for (int i = 0; i < count / BATCH; i++) {
            primary.sendAll(batch);
        }
        awaitSunk(until);
    }

    private Workload requests(String action) {
        Message message = Message.of(action, new byte[64]);
        return count -> {
            for (int i = 0; i < count; i++) {
                if (primary.request(message, TIMEOUT).replies().get(0).message() == null) {
                    throw new IllegalStateException("no reply to request " + i);
                }
            }
        };
    }

    private void awaitSunk(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (sunk.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + sunk.get() + " of " + count + " messages arrived");
            }
            Thread.sleep(1);
        }
    }

    private String measure(String name, int messages, Workload workload) throws Exception {
        Path file = Files.createTempFile("mpchannel-allocations-", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "20000/s").withStackTrace();
            recording.start();
            workload.run(messages); // warm-up: the JIT's work and the pools' threads are not the channel's per message
            Instant from = Instant.now();
            long before = allocatedBytes();
            workload.run(messages);
            long exact = allocatedBytes() - before;
            recording.stop();
            recording.dump(file);
            return table(name, messages, exact, AllocationSites.read(file, from));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The workload's table: the exact bytes, shared out between the sites in proportion to JFR's samples (an estimate
     * by their weights: the samples' own total is not exact).
     */
    private static String table(String name, int messages, long exact, AllocationSites sites) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%n### %s%n%n**%,.0f bytes a message** (exact)%n%n"
                        + "| allocated | by | share of the samples | bytes a message |%n|---|---|---:|---:|%n",
                name, (double) exact / messages));
        for (AllocationSites.Site site : sites.largest(SITES)) {
            double share = (double) site.bytes() / Math.max(1, sites.total());
            table.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %,.0f |%n", site.allocated(), site.where(),
                    100 * share, share * exact / messages));
        }
        return table.toString();
    }

    /** What every live thread allocated so far (threads ended meanwhile are missed: the warm-up started them all). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    private static void deleteAll(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
