package dev.mpchannel.bench.peerstate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs {@link PeerStateBenchmark} with JMH's command-line options, then prints (and with {@code -Dpeerstate.out=FILE}
 * writes) one Markdown row per benchmark: each variant's mean time per operation with its 99.9% confidence
 * interval, and their ratio lock ÷ word with the range that takes both intervals at their worst. For a group
 * benchmark the reader's figure is the one reported.
 */
public final class PeerStateRun {
    private PeerStateRun() {
    }

    /** JMH's usual arguments, e.g. {@code -f 5 -wi 3 -i 5 PeerStateBenchmark.inlineRun}. */
    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        String table = table(results);
        System.out.println();
        System.out.println(table);
        String out = System.getProperty("peerstate.out");
        if (out != null) {
            Files.writeString(Path.of(out), table);
        }
    }

    static String table(Collection<RunResult> results) {
        Map<String, Map<String, Result<?>>> byBenchmark = new LinkedHashMap<>();
        for (RunResult run : results) {
            String full = run.getParams().getBenchmark();
            String name = full.substring(full.lastIndexOf('.') + 1);
            Result<?> figure = run.getPrimaryResult();
            for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
                if (secondary.getKey().endsWith("Reader")) {
                    figure = secondary.getValue();
                }
            }
            byBenchmark.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(run.getParams().getParam("variant"),
                    figure);
        }
        StringBuilder table = new StringBuilder();
        table.append("| operation | lock, ns/op (99.9% CI) | word, ns/op (99.9% CI) | lock ÷ word | range |\n");
        table.append("|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, Result<?>>> row : byBenchmark.entrySet()) {
            Result<?> lock = row.getValue().get("lock");
            Result<?> word = row.getValue().get("word");
            if (lock == null || word == null) {
                continue;
            }
            double l = lock.getScore();
            double w = word.getScore();
            double le = error(lock);
            double we = error(word);
            table.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.1f ± %.1f | %.2f | %.2f-%.2f |%n",
                    row.getKey(), l, le, w, we, l / w, (l - le) / (w + we), (l + le) / Math.max(w - we, 1e-9)));
        }
        return table.toString();
    }

    private static double error(Result<?> result) {
        double error = result.getScoreError();
        return Double.isNaN(error) ? 0 : error;
    }
}
