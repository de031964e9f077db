package dev.mpchannel.bench.peerstate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link PeerStateBenchmark} in paired rounds and prints (with {@code -Dpeerstate.out=FILE} also writes) one
 * Markdown row per benchmark: lock ÷ word. On a shared machine the load moves over minutes, so JMH's usual order (all
 * forks of one variant, then all of the other) would put the drift into the ratio. Here each round runs one fork of
 * each variant back to back (lock first in even rounds, word first in odd ones) and yields one ratio; the row gives
 * each variant's median time per operation over the rounds, with the lowest and highest, and the median of the
 * rounds' ratios with the lowest and highest: the wall time (for a group benchmark, the reader's) and, where
 * {@link CpuTimeProfiler} ran, the CPU time.
 */
public final class PeerStateRun {
    private static final List<String> VARIANTS = List.of("lock", "word");

    private PeerStateRun() {
    }

    /**
     * {@code -rounds N} (default 5), then JMH's usual arguments, e.g. {@code -wi 3 -i 5 PeerStateBenchmark.inlineRun}
     * (a fork count given is replaced by one fork per variant and round).
     */
    public static void main(String[] args) throws Exception {
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        int at = jmhArgs.indexOf("-rounds");
        int rounds = at >= 0 ? Integer.parseInt(jmhArgs.get(at + 1)) : 5;
        if (at >= 0) {
            jmhArgs.subList(at, at + 2).clear();
        }
        Options cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        // "benchmark, measure" -> variant -> the score of each round
        Map<String, Map<String, double[]>> scores = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < VARIANTS.size(); i++) {
                String variant = VARIANTS.get((i + round) % VARIANTS.size());
                Options one = new OptionsBuilder().parent(cli).forks(1).param("variant", variant).build();
                for (RunResult run : new Runner(one).run()) {
                    String full = run.getParams().getBenchmark();
                    String name = full.substring(full.lastIndexOf('.') + 1);
                    record(scores, name + " | wall", variant, rounds, round, readerScore(run));
                    Result<?> cpu = run.getSecondaryResults().get("cpu");
                    if (cpu != null) {
                        record(scores, name + " | CPU", variant, rounds, round, cpu.getScore());
                    }
                }
            }
        }
        String table = table(scores);
        System.out.println();
        System.out.println(table);
        String out = System.getProperty("peerstate.out");
        if (out != null) {
            Files.writeString(Path.of(out), table);
        }
    }

    private static void record(Map<String, Map<String, double[]>> scores, String row, String variant, int rounds,
            int round, double score) {
        scores.computeIfAbsent(row, k -> new LinkedHashMap<>()).computeIfAbsent(variant, k -> new double[rounds])
                [round] = score;
    }

    private static double readerScore(RunResult run) {
        Result<?> figure = run.getPrimaryResult();
        for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
            if (secondary.getKey().endsWith("Reader")) {
                figure = secondary.getValue();
            }
        }
        return figure.getScore();
    }

    static String table(Map<String, Map<String, double[]>> scores) {
        StringBuilder table = new StringBuilder();
        table.append("| operation | time | lock, ns/op: median (lowest-highest) | word, ns/op: median (lowest-highest) "
                + "| lock ÷ word: median of the rounds (lowest-highest) |\n");
        table.append("|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, double[]>> row : scores.entrySet()) {
            double[] lock = row.getValue().get("lock");
            double[] word = row.getValue().get("word");
            if (lock == null || word == null) {
                continue;
            }
            double[] ratios = new double[lock.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = lock[i] / word[i];
            }
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | **%.2f** (%.2f-%.2f) |%n", row.getKey(),
                    spread(lock), spread(word), median(ratios), min(ratios), max(ratios)));
        }
        return table.toString();
    }

    private static String spread(double[] values) {
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(values), min(values), max(values));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
