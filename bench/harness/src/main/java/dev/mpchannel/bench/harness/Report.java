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
 * The table: every figure of every pass, mpchannel's as ratios to the baselines of the same pass, the targets; as
 * Markdown and as CSV. Which rows ({@link WorkloadRows}), how a cell reads ({@link Cells}) and the verdicts
 * ({@link Targets}) are decided elsewhere; this class lays them out.
 */
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

    // --- Markdown ----------------------------------------------------------------------------------------------------

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# mpchannel benchmark (").append(mode).append(" mode)\n\n");
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(Provenance.machine()).append('\n');
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

    private void targets(StringBuilder md, List<Result> results) {
        md.append("| target | measured | met |\n|---|---|---|\n");
        for (Targets.Target t : Targets.judge(results)) {
            md.append("| ").append(t.goal()).append(" | ").append(t.measured()).append(" | ")
                    .append(t.met().map(m -> m ? "met" : "**not met**").orElse("–")).append(" |\n");
        }
    }

    // --- CSV ---------------------------------------------------------------------------------------------------------

    String csv() {
        StringBuilder csv = new StringBuilder("pass,workload,impl,p50,p99,unit,samples,mpchannel_div_p50,"
                + "mpchannel_div_p99\n");
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            for (String workload : WorkloadRows.of(pass.getValue()).keySet()) {
                Optional<Result> mp = Result.find(pass.getValue(), MP, workload);
                List<String> impls = new ArrayList<>(BASELINES.keySet());
                impls.add(MP);
                for (String impl : impls) {
                    Optional<Result> r = Result.find(pass.getValue(), impl, workload);
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
}
