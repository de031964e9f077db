package dev.mpchannel.bench.osgi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The two files through which the driver talks to the harness, in {@code mpbench.driver.dir}: {@code status} (what
 * it waits for, then {@code done} or {@code failed: ...}) and {@code results.txt}, in the harness's line formats
 * (see the harness's {@code Result}): {@code RESULT} for a throughput or a cost, {@code HIST} for a latency
 * (an HdrHistogram in nanoseconds, compressed, base64), {@code CTXSW} for the context switches a workload took.
 */
final class HarnessFiles {
    private final Path dir;
    private final String impl;

    HarnessFiles(Path dir) {
        this(dir, "mpchannel");
    }

    HarnessFiles(Path dir, String impl) {
        this.dir = dir;
        this.impl = impl;
    }

    /** A latency histogram as the driver records them: nanoseconds, three significant digits, any range. */
    static Histogram newHistogram() {
        return new Histogram(3);
    }

    /** Replaces the status in one step: the harness polls it and must never read half a line. */
    void status(String text) throws IOException {
        Path tmp = dir.resolve(".status.tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, dir.resolve("status"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A latency: its histogram (nanoseconds). */
    void latency(String workload, Histogram histogram) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        append("HIST " + impl + " " + workload + " " + Base64.getEncoder().encodeToString(bytes) + "\n");
    }

    /**
     * The context switches of this process (every thread) and of the peer that answered, over {@code ops} measured
     * operations: {@code before} and {@code after} as {@link ContextSwitches#of(long, long)} read them.
     */
    void switches(String workload, long ops, ContextSwitches[] before, ContextSwitches[] after) throws IOException {
        append(String.format(Locale.ROOT, "CTXSW %s %s %d %d %d %d %d%n", impl, workload, ops,
                after[0].voluntary() - before[0].voluntary(), after[0].involuntary() - before[0].involuntary(),
                after[1].voluntary() - before[1].voluntary(), after[1].involuntary() - before[1].involuntary()));
    }

    /** A figure that is one value (a cost per secondary). */
    void result(String workload, double value, String unit, int n) throws IOException {
        result(workload, value, value, unit, n);
    }

    void result(String workload, double p50, double p99, String unit, int n) throws IOException {
        append(String.format(Locale.ROOT, "RESULT %s %s %.1f %.1f %s %d%n", impl, workload, p50, p99, unit, n));
    }

    private void append(String line) throws IOException {
        Files.writeString(dir.resolve("results.txt"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
