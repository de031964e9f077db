package dev.mpchannel.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The performance targets, judged on one pass's figures. */
final class Targets {
    private Targets() {
    }

    /** One target: what it asks, what was measured, whether it is met (empty: could not be judged). */
    record Target(String goal, String measured, Optional<Boolean> met) {
    }

    static List<Target> judge(List<Result> results) {
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
        Optional<Result> cOneway = Result.find(results, "c-stream", "oneway-64");
        for (String w : List.of("oneway-64", "oneway-inline-64")) {
            Optional<Result> mpOneway = Result.find(results, Report.MP, w);
            String goal = "one-way send ≥ 50% of C stream msg/s" + (w.contains("inline") ? ", inline sink" : "");
            targets.add(mpOneway.isPresent() && cOneway.isPresent()
                    ? new Target(goal, String.format(Locale.ROOT, "%.1f%%",
                            100 * mpOneway.get().p50() / cOneway.get().p50()),
                            Optional.of(mpOneway.get().p50() >= 0.5 * cOneway.get().p50()))
                    : new Target(goal, "not measured", Optional.empty()));
        }
        Optional<Result> rtt = Result.find(results, Report.MP, "rtt-64");
        results.stream().filter(r -> r.impl().equals(Report.MP) && r.workload().matches("fanout-\\d+"))
                .max((a, b) -> Integer.compare(WorkloadRows.n(a.workload()), WorkloadRows.n(b.workload())))
                .ifPresent(fan -> {
                    int n = WorkloadRows.n(fan.workload());
                    // the same secondaries asked one after another, measured; else n single round trips
                    Optional<Result> seq = Result.find(results, Report.MP, "fanout-seq-" + n);
                    double sequential = seq.map(Result::p50).orElse(n * rtt.map(Result::p50).orElse(Double.NaN));
                    double share = fan.p50() / sequential;
                    targets.add(new Target("request to " + n + " well below " + n + " sequential round trips "
                            + "(taken as ≤ 50%)", String.format(Locale.ROOT, "%s vs %s%s: %.0f%%",
                                    Cells.value(fan.p50(), "ns"), Cells.value(sequential, "ns"),
                                    seq.isPresent() ? "" : " (" + n + " x request/reply 64 B)", 100 * share),
                            Double.isNaN(share) ? Optional.empty() : Optional.of(share <= 0.5)));
                });
        Optional<Result> broadcast = results.stream()
                .filter(r -> r.impl().equals(Report.MP) && r.workload().startsWith("scale-broadcast-")).findFirst();
        String secondaries = broadcast.map(r -> String.format(Locale.ROOT, "%,d", WorkloadRows.n(r.workload())))
                .orElse("N");
        Result.find(results, Report.MP, "scale-heap-per-secondary").ifPresent(heap -> targets.add(new Target(
                secondaries + " secondaries: ≤ 64 KiB primary heap each", Cells.value(heap.p50(), "B"),
                Optional.of(heap.p50() <= 64 * 1024))));
        targets.add(aheadOfGrpc(results));
        return targets;
    }

    /** mpchannel's median better than gRPC's on every row both have. */
    private static Target aheadOfGrpc(List<Result> results) {
        List<String> behind = new ArrayList<>();
        int compared = 0;
        for (Result mp : results) {
            if (!mp.impl().equals(Report.MP)) {
                continue;
            }
            Optional<Result> grpc = Result.find(results, "grpc", WorkloadRows.baselineOf(mp.workload()));
            if (grpc.isPresent()) {
                compared++;
                boolean ahead = mp.isRate() ? mp.p50() > grpc.get().p50() : mp.p50() < grpc.get().p50();
                if (!ahead) {
                    behind.add(mp.workload());
                }
            }
        }
        return compared == 0 ? new Target("ahead of gRPC on every row", "gRPC not measured", Optional.empty())
                : new Target("ahead of gRPC on every row (median)", behind.isEmpty()
                        ? "ahead on all " + compared + " rows" : "behind on " + String.join(", ", behind),
                        Optional.of(behind.isEmpty()));
    }

    private static Target ratioTarget(List<Result> results, String workload, String base, String goal, double limit,
            boolean median) {
        Optional<Result> mp = Result.find(results, Report.MP, workload);
        Optional<Result> b = Result.find(results, base, WorkloadRows.baselineOf(workload));
        if (mp.isEmpty() || b.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty());
        }
        double ratio = median ? mp.get().p50() / b.get().p50() : mp.get().p99() / b.get().p99();
        return new Target(goal, String.format(Locale.ROOT, "%.2fx (%s vs %s)", ratio,
                Cells.value(median ? mp.get().p50() : mp.get().p99(), "ns"),
                Cells.value(median ? b.get().p50() : b.get().p99(), "ns")),
                Optional.of(ratio <= limit));
    }
}
