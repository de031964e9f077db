package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One figure: what was measured ({@code workload}), by which implementation ({@code impl}), its median and its
 * 99th percentile (for throughput: the slowest repetition), a unit and how many samples.
 */
record Result(String impl, String workload, double p50, double p99, String unit, long samples) {

    /** Parses {@code RESULT <impl> <workload> <p50> <p99> <unit> <samples>}. */
    static Optional<Result> parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 7 || !f[0].equals("RESULT")) {
            return Optional.empty();
        }
        return Optional.of(new Result(f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5],
                Long.parseLong(f[6])));
    }

    /** The RESULT lines of a file (a process's log, the driver's results.txt); other lines are skipped. */
    static List<Result> read(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            parse(line).ifPresent(results::add);
        }
        return results;
    }

    /** The figure of one implementation for one workload, if it was measured. */
    static Optional<Result> find(List<Result> results, String impl, String workload) {
        return results.stream().filter(r -> r.impl().equals(impl) && r.workload().equals(workload)).findFirst();
    }

    /** A throughput (higher is better) rather than a time or a cost. */
    boolean isRate() {
        return unit.equals("msg/s");
    }

    /** The line {@link #parse} reads. */
    String line() {
        return String.format(Locale.ROOT, "RESULT %s %s %.1f %.1f %s %d", impl, workload, p50, p99, unit, samples);
    }

    static void print(String impl, String workload, double p50, double p99, String unit, long samples) {
        System.out.println(new Result(impl, workload, p50, p99, unit, samples).line());
        System.out.flush();
    }

    /** Prints the median and p99 of latency samples in nanoseconds (sorts them). */
    static void printLatency(String impl, String workload, long[] samples) {
        java.util.Arrays.sort(samples);
        print(impl, workload, percentile(samples, 50), percentile(samples, 99), "ns", samples.length);
    }

    /** Prints the median repetition and the slowest one of a throughput in messages/s (sorts them). */
    static void printRates(String impl, String workload, double[] rates) {
        java.util.Arrays.sort(rates);
        print(impl, workload, rates[rates.length / 2], rates[0], "msg/s", rates.length);
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
