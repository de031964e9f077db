package dev.mpchannel.bench.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The two files through which the driver talks to the harness, in {@code mpbench.driver.dir}: {@code status} (what
 * it waits for, then {@code done} or {@code failed: ...}) and {@code results.txt} (one {@code RESULT} line per
 * figure, in the harness's format).
 */
final class HarnessFiles {
    private final Path dir;

    HarnessFiles(Path dir) {
        this.dir = dir;
    }

    /** Replaces the status in one step: the harness polls it and must never read half a line. */
    void status(String text) throws IOException {
        Path tmp = dir.resolve(".status.tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, dir.resolve("status"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The median and p99 of latency samples in nanoseconds (sorts them). */
    void latency(String workload, long[] samples) throws IOException {
        Arrays.sort(samples);
        result(workload, percentile(samples, 50), percentile(samples, 99), "ns", samples.length);
    }

    /** A figure that is one value (a cost per secondary). */
    void result(String workload, double value, String unit, int n) throws IOException {
        result(workload, value, value, unit, n);
    }

    void result(String workload, double p50, double p99, String unit, int n) throws IOException {
        String line = String.format(Locale.ROOT, "RESULT mpchannel %s %.1f %.1f %s %d%n", workload, p50, p99, unit, n);
        Files.writeString(dir.resolve("results.txt"), line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
