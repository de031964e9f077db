package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A run's figures for other tools: every figure as CSV, and each latency's HdrHistogram percentile file. */
final class RawResults {
    private RawResults() {
    }

    /** Every figure of every pass, one line per implementation and workload. */
    static String csv(Map<String, List<Result>> passes) {
        StringBuilder csv = new StringBuilder("pass,workload,impl,unit,samples,p50,p90,p99,p99.9,max,"
                + "mpchannel_div_p50,mpchannel_div_p99,ctxsw_per_op\n");
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            List<Result> results = pass.getValue();
            List<String> order = new ArrayList<>(WorkloadRows.of(results).keySet());
            results.stream().map(Result::workload).filter(w -> !order.contains(w)).distinct().forEach(order::add);
            for (String workload : order) {
                Optional<Result> mp = Result.find(results, Report.MP, workload);
                for (Result x : results) {
                    if (!x.workload().equals(workload)) {
                        continue;
                    }
                    csv.append(String.join(",", pass.getKey(), workload, x.impl(), x.unit(),
                            Long.toString(x.samples()), fmt(x.p50())));
                    for (double p : new double[] {90, 99, 99.9}) {
                        csv.append(',').append(x.histogram() != null ? fmt(x.at(p)) : p == 99 ? fmt(x.p99()) : "");
                    }
                    csv.append(',').append(x.histogram() != null ? fmt(x.max()) : "");
                    if (mp.isPresent() && !x.impl().equals(Report.MP)) {
                        csv.append(',').append(String.format(Locale.ROOT, "%.4f", mp.get().p50() / x.p50()))
                                .append(',').append(String.format(Locale.ROOT, "%.4f", mp.get().p99() / x.p99()));
                    } else {
                        csv.append(",,");
                    }
                    csv.append(',').append(x.switches() != null ? String.format(Locale.ROOT, "%.3f",
                            x.switches().perOp()) : "");
                    csv.append('\n');
                }
            }
        }
        return csv.toString();
    }

    /**
     * One HdrHistogram percentile distribution per latency ({@code DIR/<pass>/<impl>_<workload>.hgrm}, values in
     * microseconds), the format HdrHistogram's plotters read.
     */
    static void histograms(Map<String, List<Result>> passes, Path dir) throws IOException {
        for (Map.Entry<String, List<Result>> pass : passes.entrySet()) {
            Path passDir = Files.createDirectories(dir.resolve(pass.getKey()));
            for (Result r : pass.getValue()) {
                if (r.histogram() != null) {
                    try (PrintStream out = new PrintStream(Files.newOutputStream(
                            passDir.resolve(r.impl() + "_" + r.workload() + ".hgrm")), false, StandardCharsets.UTF_8)) {
                        r.histogram().outputPercentileDistribution(out, 5, 1000.0);
                    }
                }
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
