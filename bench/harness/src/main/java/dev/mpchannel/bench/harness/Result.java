package dev.mpchannel.bench.harness;

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
