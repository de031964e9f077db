package dev.mpchannel.bench.rings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every workload of the rings' benchmark in one go and writes a markdown table: the rings with each idle
 * strategy beside Aeron IPC, a JDK AF_UNIX socket, C's AF_UNIX socket (when its binary is given) and one memcpy, each
 * row with its ratio to the baseline it is judged against. Every transport runs between two threads of this JVM
 * (C's between two processes), one after the other, in the same run.
 * <pre>
 * java ... RingsBench [--rounds N] [--records N] [--large N] [--repeats N] [--c-pingpong PATH] [--out FILE]
 * </pre>
 */
public final class RingsBench {
    private static final int RECORD = 64;
    private RingsBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        List<String> lines = run(settings);
        String table = String.join("\n", lines) + "\n";
        System.out.print(table);
        if (settings.out() != null) {
            Files.createDirectories(settings.out().toAbsolutePath().getParent());
            Files.writeString(settings.out(), table);
        }
    }

    /** How much to measure, and where C's baseline and the table are. */
    record Settings(int rounds, int records, int large, int repeats, Path cPingPong, Path out) {
        static Settings parse(String[] args) {
            int rounds = 50_000;
            int records = 5_000_000;
            int large = 2_000;
            int repeats = 3;
            Path c = null;
            Path out = null;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                    case "--records" -> records = Integer.parseInt(args[i + 1]);
                    case "--large" -> large = Integer.parseInt(args[i + 1]);
                    case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                    case "--c-pingpong" -> c = Path.of(args[i + 1]);
                    case "--out" -> out = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Settings(rounds, records, large, repeats, c, out);
        }
    }

    static List<String> run(Settings settings) throws Exception {
        List<String> lines = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        lines.add("Rings benchmark: " + cores + " CPUs, Java " + Runtime.version() + "; rounds " + settings.rounds()
                + ", one-way records " + settings.records() + ", 1 MiB records " + settings.large()
                + "; each row the best of " + settings.repeats() + " runs. Between two threads of one JVM (C: two"
                + " processes), unpinned; load average before the run " + loadAverage() + ".");
        lines.add("");

        int n = settings.repeats();
        Latency aeron = best(n, () -> AeronIpc.roundTrip(settings.rounds()));
        Latency socket = best(n, () -> JdkSocket.roundTrip(settings.rounds()));
        Double c = settings.cPingPong() == null ? null
                : best(n, false, () -> CPingPong.meanRoundTrip(settings.cPingPong(), settings.rounds()));
        lines.add("| 64 B round trip | mean us | p50 us | p99 us | vs Aeron IPC | vs C socket |");
        lines.add("|---|---|---|---|---|---|");
        lines.add(latencyRow("Aeron IPC (busy spin)", aeron, aeron, c));
        for (dev.mpchannel.rings.Idle idle : dev.mpchannel.rings.Idle.values()) {
            int rounds = idle == dev.mpchannel.rings.Idle.PARK ? Math.max(1, settings.rounds() / 5) : settings.rounds();
            lines.add(latencyRow("ring pair, " + idle, best(n, () -> RingRuns.roundTrip(idle, rounds)), aeron, c));
        }
        lines.add(latencyRow("JDK AF_UNIX socket", socket, aeron, c));
        if (c != null) {
            lines.add(String.format(Locale.ROOT, "| C AF_UNIX socket (two processes) | %.2f | | | %s | 1.00 |", c / 1000,
                    ratio(c, aeron.mean())));
        }
        lines.add("");

        double aeronRate = best(n, true, () -> AeronIpc.oneWay(settings.records()));
        lines.add("| 64 B one way | msg/s | vs Aeron IPC |");
        lines.add("|---|---|---|");
        lines.add(String.format(Locale.ROOT, "| Aeron IPC (busy spin) | %,.0f | 1.00 |", aeronRate));
        for (dev.mpchannel.rings.Idle idle : dev.mpchannel.rings.Idle.values()) {
            double rate = best(n, true, () -> RingRuns.oneWay(idle, settings.records()));
            lines.add(String.format(Locale.ROOT, "| ring, %s | %,.0f | %.2f |", idle, rate, rate / aeronRate));
        }
        double aeronAlone = best(n, true, () -> AeronIpc.oneThread(settings.records(), RECORD));
        double ringAlone = best(n, true, () -> RingRuns.oneThread(settings.records(), RECORD));
        lines.add(String.format(Locale.ROOT, "| Aeron IPC, offer and poll in one thread | %,.0f | 1.00 (baseline of the row below) |",
                aeronAlone));
        lines.add(String.format(Locale.ROOT, "| ring, offer and poll in one thread | %,.0f | %.2f |", ringAlone,
                ringAlone / aeronAlone));
        lines.add("");

        double memcpy = best(n, false, () -> RingRuns.memcpyNanos(settings.large()));
        lines.add("| 1 MiB records | us per record | vs one memcpy |");
        lines.add("|---|---|---|");
        lines.add(String.format(Locale.ROOT, "| one memcpy of 1 MiB into a 16 MiB buffer, in turn (one thread) | %.1f | 1.00 |", memcpy / 1000));
        double alone = 1e9 / best(n, true, () -> RingRuns.oneThread(settings.large(), 1 << 20));
        lines.add(String.format(Locale.ROOT, "| ring, offer and poll in one thread (reads a long) | %.1f | %.2f |",
                alone / 1000, alone / memcpy));
        for (boolean copyOut : new boolean[] {false, true}) {
            double ring = best(n, false, () -> RingRuns.largeNanos(settings.large(), copyOut));
            lines.add(String.format(Locale.ROOT, "| ring, busy spin, reader %s | %.1f | %.2f |",
                    copyOut ? "copies each record out" : "reads each in place (a long per 4 KiB)", ring / 1000, ring / memcpy));
        }
        return lines;
    }

    /** The best of {@code settings.repeats()} runs (the lowest mean): the one a busy machine disturbed least. */
    static Latency best(int repeats, Measure<Latency> run) throws Exception {
        Latency best = null;
        for (int i = 0; i < repeats; i++) {
            Latency latency = run.get();
            if (best == null || latency.mean() < best.mean()) {
                best = latency;
            }
        }
        return best;
    }

    /** The best of {@code repeats} runs of a rate (the highest) or of a time per record (the lowest). */
    static double best(int repeats, boolean higher, Measure<Double> run) throws Exception {
        double best = higher ? 0 : Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            double value = run.get();
            best = higher ? Math.max(best, value) : Math.min(best, value);
        }
        return best;
    }

    /** One measurement. */
    @FunctionalInterface
    interface Measure<T> {
        T get() throws Exception;
    }

    private static String latencyRow(String what, Latency latency, Latency aeron, Double c) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s | %s |", what, latency.mean() / 1000,
                latency.p50() / 1000, latency.p99() / 1000, ratio(latency.mean(), aeron.mean()),
                c == null ? "" : ratio(latency.mean(), c));
    }

    private static String ratio(double value, double baseline) {
        return String.format(Locale.ROOT, "%.2f", value / baseline);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Round trips in nanoseconds. */
    record Latency(double mean, double p50, double p99) {
        static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            java.util.Arrays.sort(sorted);
            double sum = 0;
            for (long n : sorted) {
                sum += n;
            }
            return new Latency(sum / sorted.length, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]);
        }
    }

    static void check(boolean condition, String what) throws IOException {
        if (!condition) {
            throw new IOException(what);
        }
    }
}
