package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One figure: what was measured ({@code workload}), by which implementation ({@code impl}), its median and its
 * 99th percentile (for throughput: the slowest repetition), a unit and how many samples. A latency (unit
 * {@code ns}) carries the HdrHistogram it was recorded in, from which every percentile is read, and, where the
 * producer counted them, the context switches it took ({@link Switches}).
 * <p>
 * Producers print lines that {@link #read} collects:
 * <ul>
 * <li>{@code RESULT <impl> <workload> <p50> <p99> <unit> <samples>}: a throughput or a cost;</li>
 * <li>{@code HIST <impl> <workload> <base64>}: a latency histogram in nanoseconds, HdrHistogram's compressed
 * encoding (Java producers);</li>
 * <li>{@code SAMPLES <impl> <workload> <ns> <ns> ...}: raw latency samples, recorded here into one histogram per
 * (impl, workload) however many lines they take (the C programs);</li>
 * <li>{@code CTXSW <impl> <workload> <operations> <requester voluntary> <requester involuntary> <responder voluntary>
 * <responder involuntary>}: context switches of both processes (every thread) over the measured operations.</li>
 * </ul>
 */
public record Result(String impl, String workload, double p50, double p99, String unit, long samples, Histogram histogram,
        Switches switches) {

    /** The percentiles every latency is reported at (the maximum besides). */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    /**
     * Context switches over {@code ops} measured operations, of the process that asked (every thread) and of the one
     * that answered (for a fan-out or a one-way run: the one that received).
     */
    public record Switches(long ops, long requesterVoluntary, long requesterInvoluntary, long responderVoluntary,
            long responderInvoluntary) {
        double perOp() {
            return (requesterVoluntary + requesterInvoluntary + responderVoluntary + responderInvoluntary)
                    / (double) ops;
        }

        public double requesterPerOp() {
            return (requesterVoluntary + requesterInvoluntary) / (double) ops;
        }

        public double responderPerOp() {
            return (responderVoluntary + responderInvoluntary) / (double) ops;
        }
    }

    /** A figure without a histogram: a throughput, a cost, or a latency known only by its median and p99. */
    Result(String impl, String workload, double p50, double p99, String unit, long samples) {
        this(impl, workload, p50, p99, unit, samples, null, null);
    }

    /** A latency from its histogram (nanoseconds). */
    static Result latency(String impl, String workload, Histogram histogram, Switches switches) {
        return new Result(impl, workload, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), "ns",
                histogram.getTotalCount(), histogram, switches);
    }

    /** A latency histogram as this harness records them: nanoseconds, three significant digits, any range. */
    public static Histogram newHistogram() {
        return new Histogram(3);
    }

    /** The value at a percentile: from the histogram, else the median or the p99 (the nearer one). */
    double at(double percentile) {
        if (histogram != null) {
            return histogram.getValueAtPercentile(percentile);
        }
        return percentile <= 50 ? p50 : p99;
    }

    /** The largest sample (the p99 without a histogram). */
    double max() {
        return histogram != null ? histogram.getMaxValue() : p99;
    }

    /** The same figure under another workload name (a baseline reused for another row). */
    Result as(String otherWorkload) {
        return new Result(impl, otherWorkload, p50, p99, unit, samples, histogram, switches);
    }

    Result with(Switches counted) {
        return new Result(impl, workload, p50, p99, unit, samples, histogram, counted);
    }

    /** Parses one {@code RESULT} line; other lines give nothing. */
    static Optional<Result> parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 7 || !f[0].equals("RESULT")) {
            return Optional.empty();
        }
        return Optional.of(new Result(f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5],
                Long.parseLong(f[6])));
    }

    /** The figures of a file (a process's log, the driver's results.txt); other lines are skipped. */
    static List<Result> read(Path file) throws IOException {
        return read(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * The figures of some lines, in the order they first appear: RESULT lines as they are, HIST and SAMPLES lines
     * merged into one histogram per (impl, workload), CTXSW lines attached to the figure they count.
     */
    static List<Result> read(List<String> lines) {
        Map<String, Result> plain = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        Map<String, Switches> switches = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            String key = f[1] + " " + f[2];
            switch (f[0]) {
                case "RESULT" -> parse(line).ifPresent(r -> plain.put(key, r));
                case "HIST" -> {
                    if (f.length == 4) {
                        histograms.computeIfAbsent(key, k -> newHistogram()).add(decode(f[3]));
                    }
                }
                case "SAMPLES" -> {
                    Histogram h = histograms.computeIfAbsent(key, k -> newHistogram());
                    for (int i = 3; i < f.length; i++) {
                        h.recordValue(Long.parseLong(f[i]));
                    }
                }
                case "CTXSW" -> {
                    if (f.length == 8) {
                        switches.put(key, new Switches(Long.parseLong(f[3]), Long.parseLong(f[4]),
                                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7])));
                    }
                }
                default -> {
                    continue;
                }
            }
            if (!f[0].equals("CTXSW") && !order.contains(key)) {
                order.add(key);
            }
        }
        List<Result> results = new ArrayList<>();
        for (String key : order) {
            String[] k = key.split(" ");
            Histogram h = histograms.get(key);
            if (h != null && h.getTotalCount() > 0) {
                results.add(latency(k[0], k[1], h, switches.get(key)));
            } else if (plain.containsKey(key)) {
                Result r = plain.get(key);
                results.add(switches.containsKey(key) ? r.with(switches.get(key)) : r);
            }
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

    /** A time, with its percentiles. */
    boolean isLatency() {
        return unit.equals("ns");
    }

    /** The RESULT line {@link #parse} reads (median and p99 only). */
    String line() {
        return String.format(Locale.ROOT, "RESULT %s %s %.1f %.1f %s %d", impl, workload, p50, p99, unit, samples);
    }

    static void print(String impl, String workload, double p50, double p99, String unit, long samples) {
        System.out.println(new Result(impl, workload, p50, p99, unit, samples).line());
        System.out.flush();
    }

    /** Prints a latency histogram (nanoseconds) as a HIST line. */
    public static void printLatency(String impl, String workload, Histogram histogram) {
        System.out.println(histLine(impl, workload, histogram));
        System.out.flush();
    }

    static String histLine(String impl, String workload, Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return "HIST " + impl + " " + workload + " " + Base64.getEncoder().encodeToString(bytes);
    }

    public static void printSwitches(String impl, String workload, Switches s) {
        System.out.println(switchesLine(impl, workload, s));
        System.out.flush();
    }

    static String switchesLine(String impl, String workload, Switches s) {
        return String.format(Locale.ROOT, "CTXSW %s %s %d %d %d %d %d", impl, workload, s.ops(),
                s.requesterVoluntary(), s.requesterInvoluntary(), s.responderVoluntary(), s.responderInvoluntary());
    }

    /** This figure as the lines {@link #read} reads back: its histogram (or RESULT line), its context switches. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(histogram != null ? histLine(impl, workload, histogram) : line());
        if (switches != null) {
            lines.add(switchesLine(impl, workload, switches));
        }
        return lines;
    }

    private static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }

    /** Prints the median repetition and the slowest one of a throughput in messages/s (sorts the few repetitions). */
    static void printRates(String impl, String workload, double[] rates) {
        java.util.Arrays.sort(rates);
        print(impl, workload, rates[rates.length / 2], rates[0], "msg/s", rates.length);
    }
}
