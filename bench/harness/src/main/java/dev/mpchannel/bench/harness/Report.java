package dev.mpchannel.bench.harness;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report: the goals with their verdicts, then per pass the main table (median / p99 of every figure, and
 * mpchannel's as ratios to each baseline of the same pass), the DPDK rows, every percentile of every latency, and
 * the context switches per operation, as Markdown (the same figures as CSV and histogram files: {@link RawResults}).
 * Which rows ({@link WorkloadRows}), how a cell reads ({@link Cells}) and the verdicts ({@link Targets}) are decided
 * elsewhere; this class lays them out.
 */
final class Report {
    static final String MP = "mpchannel";
    /** Baselines of the main table, in column order, with their headings. */
    static final Map<String, String> BASELINES = new LinkedHashMap<>();
    /** Every implementation's name in the report, in the order of the percentile table. */
    static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        BASELINES.put("c-stream", "C stream");
        BASELINES.put("c-seqpacket", "C seqpacket");
        BASELINES.put("junixsocket", "junixsocket");
        BASELINES.put("jdk", "JDK SocketChannel");
        BASELINES.put("grpc", "gRPC");
        NAMES.putAll(BASELINES);
        NAMES.put("c-memcpy", "C memcpy");
        NAMES.put("dpdk", "DPDK (rte_mp)");
        NAMES.put(MP, "mpchannel");
    }

    private final String mode;
    private final Map<String, List<Result>> passes;
    private final Duration took;
    private final Map<String, String> notes;
    private final List<String> charts;

    Report(String mode, Map<String, List<Result>> passes, Duration took) {
        this(mode, passes, took, Map.of(), List.of());
    }

    /**
     * @param notes  per pass (key: the pass) how long it took and how busy the machine was; "commit", "dpdk"
     *               (version), "dpdk &lt;pass&gt;" (what was skipped), as {@link Bench} collects them
     * @param charts the charts' paths relative to where the Markdown is written
     */
    Report(String mode, Map<String, List<Result>> passes, Duration took, Map<String, String> notes,
            List<String> charts) {
        this.notes = notes;
        this.mode = mode;
        this.passes = passes;
        this.took = took;
        this.charts = charts;
    }

    static String name(String impl) {
        return NAMES.getOrDefault(impl, impl);
    }

    // --- Markdown ----------------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# mpchannel benchmark (").append(mode).append(" mode)\n\n");
        md.append("- date: ").append(notes.getOrDefault("date", ZonedDateTime.now().format(
                DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append('\n');
        md.append("- machine: ").append(Provenance.machine()).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        if (notes.containsKey("commit")) {
            md.append("- code: ").append(notes.get("commit")).append('\n');
        }
        md.append("- DPDK: ").append(notes.getOrDefault("dpdk", "not measured")).append('\n');
        md.append("- the whole run (all passes, every process start) took ").append(took.toSeconds()).append(" s\n");
        for (String pass : passes.keySet()) {
            if (notes.containsKey(pass)) {
                md.append("- ").append(pass).append(" pass: ").append(notes.get(pass)).append('\n');
            }
        }
        md.append('\n');
        md.append("Latencies are recorded in HdrHistograms (3 significant digits) of every sample after the warm-up. "
                + "Main tables: each cell is median / p99 (for msg/s: median / slowest repetition); the ratio columns "
                + "are mpchannel ÷ that baseline in the same pass, for the median and the p99 (times: lower is better; "
                + "msg/s: higher is better). \"–\": not measured (the JDK's SocketChannel and gRPC cannot pass "
                + "descriptors; SOCK_SEQPACKET has no large messages; the scale rows are mpchannel's own costs).\n\n");
        goals(md);
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            String name = pass.getKey();
            md.append("## ").append(name.equals(Targets.PINNED)
                    ? "Pinned: every process on one core (taskset), which is where software overhead shows"
                    : "Unpinned: processes free to use both cores").append("\n\n");
            if (notes.containsKey(name)) {
                md.append("This pass ").append(notes.get(name)).append(".\n\n");
            }
            table(md, pass.getValue());
            md.append('\n');
            dpdk(md, name, pass.getValue());
            md.append("### Every percentile (").append(name).append(")\n\n");
            percentiles(md, pass.getValue());
            md.append('\n');
            md.append("### Context switches per operation (").append(name).append(")\n\n");
            switches(md, pass.getValue());
            md.append('\n');
        }
        if (!charts.isEmpty()) {
            md.append("## Charts\n\n");
            for (String chart : charts) {
                md.append("![").append(chart).append("](").append(chart).append(")\n\n");
            }
        }
        return md.toString();
    }

    /** The goals: what each pass measured, and the verdict of the pass each is judged on. */
    private void goals(StringBuilder md) {
        Map<String, List<Targets.Target>> byPass = new LinkedHashMap<>();
        passes.forEach((pass, results) -> byPass.put(pass, Targets.judge(results)));
        if (byPass.isEmpty()) {
            return;
        }
        md.append("## Goals\n\n| goal |");
        byPass.keySet().forEach(p -> md.append(' ').append(p).append(" |"));
        md.append(" verdict |\n|---|");
        md.append("---|".repeat(byPass.size() + 1)).append('\n');
        List<Targets.Target> any = byPass.values().iterator().next();
        List<String> whys = new ArrayList<>();
        for (int i = 0; i < any.size(); i++) {
            Targets.Target first = any.get(i);
            md.append("| ").append(first.goal()).append(" |");
            for (List<Targets.Target> targets : byPass.values()) {
                md.append(' ').append(targets.get(i).measured()).append(" |");
            }
            String judged = byPass.containsKey(first.judgedOn()) ? first.judgedOn() : byPass.keySet().iterator().next();
            Targets.Target verdict = byPass.get(judged).get(i);
            md.append(' ').append(verdict.met().map(m -> m ? "met" : "**not met**").orElse("not measured"));
            if (verdict.met().isPresent()) {
                md.append(" (").append(judged).append(judged.equals(first.judgedOn()) ? "" : "; the "
                        + first.judgedOn() + " pass did not run").append(')');
            }
            md.append(" |\n");
            if (!verdict.why().isEmpty()) {
                whys.add(first.goal() + " — " + verdict.why());
            }
        }
        md.append('\n');
        if (!whys.isEmpty()) {
            md.append("Measured beside the goals not met, in the pass each is judged on:\n\n");
            whys.forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
    }

    private void table(StringBuilder md, List<Result> results) {
        md.append("| workload |");
        BASELINES.values().forEach(b -> md.append(' ').append(b).append(" |"));
        md.append(" mpchannel |");
        BASELINES.values().forEach(b -> md.append(" ÷ ").append(b).append(" |"));
        md.append('\n').append("|---|");
        md.append("---:|".repeat(2 * BASELINES.size() + 1)).append('\n');
        for (Map.Entry<String, String> row : WorkloadRows.of(results).entrySet()) {
            String workload = row.getKey();
            String baseline = WorkloadRows.baselineOf(workload);
            Optional<Result> mp = Result.find(results, MP, workload);
            md.append("| ").append(row.getValue()).append(" |");
            for (String impl : BASELINES.keySet()) {
                md.append(' ').append(Result.find(results, impl, baseline).map(Cells::cell).orElse("–")).append(" |");
            }
            md.append(' ').append(mp.map(r -> "**" + Cells.cell(r) + "**").orElse("–")).append(" |");
            for (String impl : BASELINES.keySet()) {
                Optional<Result> base = Result.find(results, impl, baseline);
                md.append(' ').append(mp.isPresent() && base.isPresent() ? Cells.ratioCell(mp.get(), base.get()) : "–")
                        .append(" |");
            }
            md.append('\n');
        }
    }

    /** The DPDK rows beside the C round trip and DPDK's own, or why there are none. */
    private void dpdk(StringBuilder md, String pass, List<Result> results) {
        md.append("### DPDK (").append(pass).append(")\n\n");
        String skipped = notes.get("dpdk " + pass);
        if (skipped != null && !skipped.isEmpty()) {
            skipped.lines().forEach(l -> md.append("- ").append(l).append('\n'));
            md.append('\n');
        }
        boolean any = WorkloadRows.DPDK.keySet().stream().anyMatch(w -> results.stream()
                .anyMatch(r -> r.workload().equals(w)));
        if (!any) {
            return;
        }
        Optional<Result> c = Result.find(results, "c-stream", "rtt-64");
        md.append("| workload | C stream 64 B | DPDK secondary, same direction | measured | ÷ C stream | "
                + "÷ DPDK secondary |\n|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, String> row : WorkloadRows.DPDK.entrySet()) {
            Optional<Result> r = results.stream().filter(x -> x.workload().equals(row.getKey())).findFirst();
            if (r.isEmpty()) {
                continue;
            }
            String ref = WorkloadRows.dpdkBaselineOf(row.getKey());
            Optional<Result> d = ref == null ? Optional.empty() : Result.find(results, "dpdk", ref);
            md.append("| ").append(row.getValue()).append(" | ").append(c.map(Cells::cell).orElse("–")).append(" | ")
                    .append(d.map(Cells::cell).orElse("–")).append(" | **").append(Cells.cell(r.get())).append("** | ")
                    .append(c.map(x -> Cells.ratioCell(r.get(), x)).orElse("–")).append(" | ")
                    .append(d.map(x -> Cells.ratioCell(r.get(), x)).orElse("–")).append(" |\n");
        }
        md.append('\n');
    }

    /** Every latency with p50, p90, p99, p99.9 and the maximum, in table order. */
    private void percentiles(StringBuilder md, List<Result> results) {
        md.append("| workload | implementation | p50 | p90 | p99 | p99.9 | max | samples |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String workload : latencyWorkloads(results)) {
            for (String impl : NAMES.keySet()) {
                Result.find(results, impl, workload).filter(r -> r.histogram() != null).ifPresent(r -> {
                    md.append("| ").append(WorkloadRows.label(workload, results, impl)).append(" | ")
                            .append(name(impl)).append(" |");
                    for (double p : Result.PERCENTILES) {
                        md.append(' ').append(Cells.value(r.at(p), "ns")).append(" |");
                    }
                    md.append(' ').append(Cells.value(r.max(), "ns")).append(" | ").append(r.samples()).append(" |\n");
                });
            }
        }
    }

    private void switches(StringBuilder md, List<Result> results) {
        md.append("Both processes, every thread (/proc/PID/task/*/status), over the timed operations: voluntary "
                + "(the thread waited) + involuntary (it was preempted). Requester: the process that asks (or sends); "
                + "responder: the one that answers (or receives).\n\n");
        md.append("| workload | implementation | requester | responder | total per operation |\n"
                + "|---|---|---:|---:|---:|\n");
        List<String> order = new ArrayList<>(latencyWorkloads(results));
        WorkloadRows.of(results).keySet().stream().filter(w -> !order.contains(w)).forEach(order::add);
        for (String workload : order) {
            for (String impl : NAMES.keySet()) {
                Result.find(results, impl, workload).filter(r -> r.switches() != null).ifPresent(r -> {
                    Result.Switches s = r.switches();
                    md.append("| ").append(WorkloadRows.label(workload, results, impl)).append(" | ").append(name(impl))
                            .append(String.format(Locale.ROOT, " | %.2f + %.2f | %.2f + %.2f | **%.2f** |%n",
                                    s.requesterVoluntary() / (double) s.ops(),
                                    s.requesterInvoluntary() / (double) s.ops(),
                                    s.responderVoluntary() / (double) s.ops(),
                                    s.responderInvoluntary() / (double) s.ops(), s.perOp()));
                });
            }
        }
    }

    /** The workloads with a latency histogram: the table's order, then the DPDK rows, then the rest. */
    static List<String> latencyWorkloads(List<Result> results) {
        List<String> order = new ArrayList<>(WorkloadRows.of(results).keySet());
        order.addAll(WorkloadRows.DPDK.keySet());
        results.stream().map(Result::workload).filter(w -> !order.contains(w)).distinct().forEach(order::add);
        return order.stream().filter(w -> results.stream().anyMatch(r -> r.workload().equals(w)
                && r.histogram() != null)).toList();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
