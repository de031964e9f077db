package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The table: every figure of every pass, mpchannel's as ratios to the baselines of the same pass, the targets. */
final class Report {
    static final String MP = "mpchannel";
    /** Baselines, in column order, with their headings. */
    static final Map<String, String> BASELINES = new LinkedHashMap<>();

    static {
        BASELINES.put("c-stream", "C stream");
        BASELINES.put("c-seqpacket", "C seqpacket");
        BASELINES.put("junixsocket", "junixsocket");
        BASELINES.put("jdk", "JDK SocketChannel");
        BASELINES.put("grpc", "gRPC");
    }

    private final String mode;
    private final Map<String, List<Result>> passes;
    private final Duration took;

    private final Map<String, String> notes;

    Report(String mode, Map<String, List<Result>> passes, Duration took) {
        this(mode, passes, took, Map.of());
    }

    Report(String mode, Map<String, List<Result>> passes, Duration took, Map<String, String> notes) {
        this.notes = notes;
        this.mode = mode;
        this.passes = passes;
        this.took = took;
    }

    /** The workloads in table order, with their labels. */
    static Map<String, String> rows(Iterable<Result> results) {
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        results.forEach(r -> seen.add(r.workload()));
        rows.put("rtt-64", "1 request/reply 64 B");
        rows.put("rtt-1024", "1 request/reply 1 KiB");
        rows.put("rtt-inline-64", "1 request/reply 64 B, inline action");
        rows.put("rtt-inline-1024", "1 request/reply 1 KiB, inline action");
        rows.put("rtt-fd-64", "2 + 1 fd each way, 64 B");
        rows.put("rtt-fd-1024", "2 + 1 fd each way, 1 KiB");
        rows.put("oneway-64", "3 one-way send 64 B (msg/s)");
        rows.put("oneway-inline-64", "3 one-way send 64 B, inline sink (msg/s)");
        seen.stream().filter(w -> w.matches("fanout-\\d+")).distinct()
                .sorted((a, b) -> Integer.compare(n(a), n(b)))
                .forEach(w -> {
                    rows.put(w, "4 request to " + n(w) + " secondar" + (n(w) == 1 ? "y" : "ies"));
                    rows.put("fanout-seq-" + n(w), "4 the same " + n(w) + ", one request after another");
                });
        seen.stream().filter(w -> w.startsWith("scale-broadcast-")).distinct()
                .forEach(w -> rows.put(w, "5 request to " + n(w) + " secondaries"));
        rows.put("scale-heap-per-secondary", "5 primary heap per secondary");
        rows.put("scale-rss-per-secondary", "5 primary RSS per secondary");
        rows.put("scale-fds-per-secondary", "5 primary fds per secondary");
        rows.put("scale-threads-per-secondary", "5 primary threads per secondary");
        seen.stream().filter(w -> w.matches("rtt-\\d+") && Integer.parseInt(w.substring(4)) > 1024).distinct()
                .sorted((a, b) -> Integer.compare(n(a), n(b)))
                .forEach(w -> {
                    rows.put(w, "6 request/reply " + size(n(w)) + (n(w) > 65536 ? " (shared memory)" : ""));
                    if (n(w) > 65536) { // over the default inline limit: the same bytes, both ways
                        rows.put("rtt-socket-" + n(w), "6 the same " + size(n(w)) + " through the socket");
                    }
                });
        rows.keySet().retainAll(seen);
        return rows;
    }

    private static int n(String workload) {
        return Integer.parseInt(workload.substring(workload.lastIndexOf('-') + 1));
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
    }

    static Optional<Result> find(List<Result> results, String impl, String workload) {
        return results.stream().filter(r -> r.impl().equals(impl) && r.workload().equals(workload)).findFirst();
    }

    static boolean isRate(Result r) {
        return r.unit().equals("msg/s");
    }

    // --- Markdown ----------------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# mpchannel benchmark (").append(mode).append(" mode)\n\n");
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(machine()).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        if (notes.containsKey("commit")) {
            md.append("- code: ").append(notes.get("commit")).append('\n');
        }
        md.append("- the whole run (all passes, every process start) took ").append(took.toSeconds()).append(" s\n\n");
        md.append("Each cell: median / p99 (for msg/s: median / slowest repetition). Ratio columns: mpchannel ÷ that "
                + "baseline in the same pass, for the median and the p99; for times lower is better, for msg/s higher "
                + "is better. \"–\": not measured (the JDK's SocketChannel and gRPC cannot pass descriptors; "
                + "SOCK_SEQPACKET has no large messages; the scale rows are mpchannel's own costs).\n\n");
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            md.append("## ").append(pass.getKey().equals("pinned")
                    ? "Pinned: every process on one core (taskset), which is where software overhead shows"
                    : "Unpinned: processes free to use both cores").append("\n\n");
            if (notes.containsKey(pass.getKey())) {
                md.append("This pass ").append(notes.get(pass.getKey())).append(".\n\n");
            }
            table(md, pass.getValue());
            md.append('\n');
            targets(md, pass.getValue());
            md.append('\n');
        }
        return md.toString();
    }

    private void table(StringBuilder md, List<Result> results) {
        md.append("| workload |");
        BASELINES.values().forEach(b -> md.append(' ').append(b).append(" |"));
        md.append(" mpchannel |");
        BASELINES.values().forEach(b -> md.append(" ÷ ").append(b).append(" |"));
        md.append('\n').append("|---|");
        md.append("---:|".repeat(2 * BASELINES.size() + 1)).append('\n');
        for (Map.Entry<String, String> row : rows(results).entrySet()) {
            String workload = row.getKey();
            Optional<Result> mp = find(results, MP, workload);
            md.append("| ").append(row.getValue()).append(" |");
            for (String impl : BASELINES.keySet()) {
                md.append(' ').append(find(results, impl, baselineOf(workload)).map(Report::cell).orElse("–"))
                        .append(" |");
            }
            md.append(' ').append(mp.map(r -> "**" + cell(r) + "**").orElse("–")).append(" |");
            for (String impl : BASELINES.keySet()) {
                Optional<Result> base = find(results, impl, baselineOf(workload));
                md.append(' ').append(mp.isPresent() && base.isPresent() ? ratioCell(mp.get(), base.get()) : "–")
                        .append(" |");
            }
            md.append('\n');
        }
    }

    /** The baselines' workload an mpchannel row compares with: an inline-action row with the plain round trip. */
    static String baselineOf(String workload) {
        return workload.replace("rtt-inline-", "rtt-").replace("rtt-socket-", "rtt-")
                .replace("oneway-inline-", "oneway-");
    }

    static String cell(Result r) {
        String p50 = value(r.p50(), r.unit());
        String p99 = value(r.p99(), r.unit());
        return r.samples() <= 1 || p50.equals(p99) ? p50 : p50 + " / " + p99;
    }

    static String ratioCell(Result mp, Result base) {
        String p50 = String.format(Locale.ROOT, "%.2f", mp.p50() / base.p50());
        if (mp.samples() <= 1 || base.samples() <= 1) {
            return p50;
        }
        return p50 + " / " + String.format(Locale.ROOT, "%.2f", mp.p99() / base.p99());
    }

    static String value(double v, String unit) {
        return switch (unit) {
            case "ns" -> v >= 1e6 ? String.format(Locale.ROOT, "%.2f ms", v / 1e6)
                    : String.format(Locale.ROOT, "%.1f µs", v / 1e3);
            case "msg/s" -> v >= 1e6 ? String.format(Locale.ROOT, "%.2f M/s", v / 1e6)
                    : String.format(Locale.ROOT, "%.0f k/s", v / 1e3);
            case "B" -> Math.abs(v) >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", v / 1024)
                    : String.format(Locale.ROOT, "%.0f B", v);
            default -> String.format(Locale.ROOT, "%.2f", v);
        };
    }

    // --- targets -----------------------------------------------------------------------------------------------------

    /** One target: what it asks, what was measured, whether it is met (empty: could not be judged). */
    record Target(String goal, String measured, Optional<Boolean> met) {
    }

    static List<Target> targets(List<Result> results) {
        List<Target> targets = new ArrayList<>();
        for (String w : List.of("rtt-64", "rtt-1024")) {
            targets.add(ratioTarget(results, w, "c-stream", "request/reply " + w.substring(4) + " B p50 ≤ 1.5x C stream",
                    1.5, true));
            targets.add(ratioTarget(results, w, "c-stream", "request/reply " + w.substring(4) + " B p99 ≤ 3x C stream",
                    3.0, false));
        }
        for (String w : List.of("rtt-inline-64", "rtt-inline-1024")) {
            targets.add(ratioTarget(results, w, "c-stream", "request/reply " + w.substring(11)
                    + " B p50 ≤ 1.5x C stream, inline action", 1.5, true));
            targets.add(ratioTarget(results, w, "c-stream", "request/reply " + w.substring(11)
                    + " B p99 ≤ 3x C stream, inline action", 3.0, false));
        }
        for (String w : List.of("rtt-fd-64", "rtt-fd-1024")) {
            targets.add(ratioTarget(results, w, "c-stream", "fd round trip " + w.substring(7)
                    + " B p50 ≤ 2x C stream with fd", 2.0, true));
        }
        Optional<Result> cOneway = find(results, "c-stream", "oneway-64");
        for (String w : List.of("oneway-64", "oneway-inline-64")) {
            Optional<Result> mpOneway = find(results, MP, w);
            String goal = "one-way send ≥ 50% of C stream msg/s" + (w.contains("inline") ? ", inline sink" : "");
            targets.add(mpOneway.isPresent() && cOneway.isPresent()
                    ? new Target(goal, String.format(Locale.ROOT, "%.1f%%",
                            100 * mpOneway.get().p50() / cOneway.get().p50()),
                            Optional.of(mpOneway.get().p50() >= 0.5 * cOneway.get().p50()))
                    : new Target(goal, "not measured", Optional.empty()));
        }
        Optional<Result> rtt = find(results, MP, "rtt-64");
        results.stream().filter(r -> r.impl().equals(MP) && r.workload().matches("fanout-\\d+"))
                .max((a, b) -> Integer.compare(n(a.workload()), n(b.workload())))
                .ifPresent(fan -> {
                    int n = n(fan.workload());
                    // the same secondaries asked one after another, measured; else n single round trips
                    Optional<Result> seq = find(results, MP, "fanout-seq-" + n);
                    double sequential = seq.map(Result::p50).orElse(n * rtt.map(Result::p50).orElse(Double.NaN));
                    double share = fan.p50() / sequential;
                    targets.add(new Target("request to " + n + " well below " + n + " sequential round trips "
                            + "(taken as ≤ 50%)", String.format(Locale.ROOT, "%s vs %s%s: %.0f%%",
                                    value(fan.p50(), "ns"), value(sequential, "ns"),
                                    seq.isPresent() ? "" : " (" + n + " x request/reply 64 B)", 100 * share),
                            Double.isNaN(share) ? Optional.empty() : Optional.of(share <= 0.5)));
                });
        Optional<Result> broadcast = results.stream()
                .filter(r -> r.impl().equals(MP) && r.workload().startsWith("scale-broadcast-")).findFirst();
        String secondaries = broadcast.map(r -> String.format(Locale.ROOT, "%,d", n(r.workload()))).orElse("N");
        find(results, MP, "scale-heap-per-secondary").ifPresent(heap -> targets.add(new Target(
                secondaries + " secondaries: ≤ 64 KiB primary heap each", value(heap.p50(), "B"),
                Optional.of(heap.p50() <= 64 * 1024))));
        List<String> behind = new ArrayList<>();
        int compared = 0;
        for (Result mp : results) {
            if (!mp.impl().equals(MP)) {
                continue;
            }
            Optional<Result> grpc = find(results, "grpc", baselineOf(mp.workload()));
            if (grpc.isPresent()) {
                compared++;
                boolean ahead = isRate(mp) ? mp.p50() > grpc.get().p50() : mp.p50() < grpc.get().p50();
                if (!ahead) {
                    behind.add(mp.workload());
                }
            }
        }
        targets.add(compared == 0 ? new Target("ahead of gRPC on every row", "gRPC not measured", Optional.empty())
                : new Target("ahead of gRPC on every row (median)", behind.isEmpty()
                        ? "ahead on all " + compared + " rows" : "behind on " + String.join(", ", behind),
                        Optional.of(behind.isEmpty())));
        return targets;
    }

    private static Target ratioTarget(List<Result> results, String workload, String base, String goal, double limit,
            boolean median) {
        Optional<Result> mp = find(results, MP, workload);
        Optional<Result> b = find(results, base, baselineOf(workload));
        if (mp.isEmpty() || b.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty());
        }
        double ratio = median ? mp.get().p50() / b.get().p50() : mp.get().p99() / b.get().p99();
        return new Target(goal, String.format(Locale.ROOT, "%.2fx (%s vs %s)", ratio,
                value(median ? mp.get().p50() : mp.get().p99(), "ns"), value(median ? b.get().p50() : b.get().p99(), "ns")),
                Optional.of(ratio <= limit));
    }

    private void targets(StringBuilder md, List<Result> results) {
        md.append("| target | measured | met |\n|---|---|---|\n");
        for (Target t : targets(results)) {
            md.append("| ").append(t.goal()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met().map(m -> m ? "met" : "**not met**").orElse("–")).append(" |\n");
        }
    }

    // --- CSV ---------------------------------------------------------------------------------------------------------

    String csv() {
        StringBuilder csv = new StringBuilder("pass,workload,impl,p50,p99,unit,samples,mpchannel_div_p50,"
                + "mpchannel_div_p99\n");
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            for (String workload : rows(pass.getValue()).keySet()) {
                Optional<Result> mp = find(pass.getValue(), MP, workload);
                List<String> impls = new ArrayList<>(BASELINES.keySet());
                impls.add(MP);
                for (String impl : impls) {
                    Optional<Result> r = find(pass.getValue(), impl, workload);
                    if (r.isEmpty()) {
                        continue;
                    }
                    Result x = r.get();
                    csv.append(String.join(",", pass.getKey(), workload, impl, fmt(x.p50()), fmt(x.p99()), x.unit(),
                            Long.toString(x.samples())));
                    if (mp.isPresent() && !impl.equals(MP)) {
                        csv.append(',').append(String.format(Locale.ROOT, "%.4f", mp.get().p50() / x.p50()))
                                .append(',').append(String.format(Locale.ROOT, "%.4f", mp.get().p99() / x.p99()));
                    } else {
                        csv.append(",,");
                    }
                    csv.append('\n');
                }
            }
        }
        return csv.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        String os = System.getProperty("os.name");
        long memKiB = 0;
        try {
            os = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .findFirst().map(l -> l.substring(12).replace("\"", "")).orElse(os);
            memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException ignored) {
            // not Linux
        }
        return os + ", kernel " + System.getProperty("os.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " vCPUs (" + cpu + "), "
                + (memKiB >> 20) + " GiB RAM";
    }
}
