package dev.mpchannel.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The goals the report judges, each a ratio of mpchannel to a baseline measured in the same pass. Every goal is
 * computed for each pass; the verdict is the one of the pass it is judged on ({@link Target#judgedOn}): the pinned
 * pass for software overhead (no process waits for another vCPU to wake up), the unpinned one for the fan-out that
 * needs parallel hardware.
 */
final class Targets {
    static final String PINNED = "pinned";
    static final String UNPINNED = "unpinned";

    private Targets() {
    }

    /**
     * One goal in one pass: what it asks, what was measured, whether it is met (empty: not measured), the pass whose
     * verdict counts, and what the suite measured that tells why (empty if nothing).
     */
    record Target(String goal, String measured, Optional<Boolean> met, String judgedOn, String why) {
    }

    static List<Target> judge(List<Result> results) {
        List<Target> targets = new ArrayList<>();
        targets.add(ratio(results, "rtt-64", "c-stream", "rtt-64",
                "request/reply 64 B, ordinary action: p50 ≤ 1.5x C stream", 1.5, 50, PINNED));
        targets.add(ratio(results, "rtt-inline-64", "junixsocket", "rtt-64",
                "request/reply 64 B, inline action: p50 ≤ 1.1x bare junixsocket ping-pong", 1.1, 50, PINNED));
        targets.add(ratio(results, "rtt-64", "c-stream", "rtt-64",
                "request/reply 64 B, action on the pool: p99 ≤ 3x C stream's p99", 3.0, 99, PINNED));
        targets.add(ratio(results, "rtt-inline-64", "c-stream", "rtt-64",
                "request/reply 64 B, inline action: p99 ≤ 3x C stream's p99", 3.0, 99, PINNED));
        targets.add(ratio(results, "rtt-fd-64", "junixsocket", "rtt-fd-64",
                "+ 1 fd each way (64 B): p50 ≤ 1.25x junixsocket with fd", 1.25, 50, PINNED));
        targets.add(oneway(results, "oneway-", "one-way send 64 B: ≥ 80% of C's msg/s, one send at a time", 0.8));
        targets.add(oneway(results, "oneway-batch-", "one-way send 64 B with batching (sendAll, 32 a call): ≥ 150% of "
                + "C's msg/s", 1.5));
        targets.add(sharedMemory(results));
        targets.add(ratio(results, "rtt-1048576", "c-stream", "rtt-1048576", "1 MiB request/reply: p50 ≤ 1x C stream",
                1.0, 50, PINNED));
        targets.add(scale(results));
        targets.add(fanout(results));
        return targets;
    }

    /** mpchannel's workload at a percentile ÷ a baseline's, at most {@code limit}. */
    private static Target ratio(List<Result> results, String workload, String base, String baseWorkload, String goal,
            double limit, double percentile, String judgedOn) {
        Optional<Result> mp = Result.find(results, Report.MP, workload);
        Optional<Result> b = Result.find(results, base, baseWorkload);
        if (mp.isEmpty() || b.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty(), judgedOn, "");
        }
        double m = mp.get().at(percentile);
        double v = b.get().at(percentile);
        double ratio = m / v;
        boolean met = ratio <= limit;
        return new Target(goal, String.format(Locale.ROOT, "%.2fx (%s vs %s)", ratio, Cells.value(m, "ns"),
                Cells.value(v, "ns")), Optional.of(met), judgedOn,
                met ? "" : switches(mp.get(), b.get(), Report.name(base), "round trip"));
    }

    /** Context switches per operation of both sides, where both were counted. */
    static String switches(Result mp, Result base, String baseName, String per) {
        if (mp.switches() == null || base.switches() == null) {
            return "";
        }
        return String.format(Locale.ROOT, "context switches per %s: mpchannel %.1f (requester %.1f, responder %.1f), "
                + "%s %.1f (%.1f, %.1f)", per, mp.switches().perOp(), mp.switches().requesterPerOp(),
                mp.switches().responderPerOp(), baseName, base.switches().perOp(), base.switches().requesterPerOp(),
                base.switches().responderPerOp());
    }

    /** mpchannel's one-way rate (pool sink, and inline sink beside it) against C's one write per message. */
    private static Target oneway(List<Result> results, String prefix, String goal, double least) {
        Optional<Result> c = Result.find(results, "c-stream", "oneway-64");
        Optional<Result> mp = Result.find(results, Report.MP, prefix + "64");
        if (c.isEmpty() || mp.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty(), PINNED, "");
        }
        double share = mp.get().p50() / c.get().p50();
        Optional<Result> inline = Result.find(results, Report.MP, prefix + "inline-64");
        String measured = String.format(Locale.ROOT, "%.0f%% (%s vs %s)%s", 100 * share,
                Cells.value(mp.get().p50(), "msg/s"), Cells.value(c.get().p50(), "msg/s"),
                inline.map(i -> String.format(Locale.ROOT, "; to an inline sink %.0f%%", 100 * i.p50() / c.get().p50()))
                        .orElse(""));
        boolean met = share >= least;
        return new Target(goal, measured, Optional.of(met), PINNED,
                met ? "" : switches(mp.get(), c.get(), "C stream", "message"));
    }

    private static Target sharedMemory(List<Result> results) {
        Optional<Result> mp = results.stream()
                .filter(r -> r.impl().equals(Report.MP) && r.workload().matches("rtt-\\d+") && n(r) > 65536)
                .max((a, b) -> Integer.compare(n(a), n(b)));
        if (mp.isEmpty()) {
            return new Target("large request/reply through shared memory: ≤ 0.5x C through the socket",
                    "not measured", Optional.empty(), PINNED, "");
        }
        int size = n(mp.get());
        String goal = WorkloadRows.size(size) + " request/reply through shared memory: ≤ 0.5x C through the socket";
        Optional<Result> c = Result.find(results, "c-stream", "rtt-" + size);
        if (c.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty(), PINNED, "");
        }
        Optional<Result> copy = Result.find(results, "c-memcpy", "memcpy-" + size);
        double ratio = mp.get().p50() / c.get().p50();
        String measured = String.format(Locale.ROOT, "%.2fx (%s vs %s)%s", ratio, Cells.value(mp.get().p50(), "ns"),
                Cells.value(c.get().p50(), "ns"), copy.map(m -> String.format(Locale.ROOT,
                        "; one memcpy of %s: %s, the round trip = %.1f memcpys", WorkloadRows.size(size),
                        Cells.value(m.p50(), "ns"), mp.get().p50() / m.p50())).orElse(""));
        return new Target(goal, measured, Optional.of(ratio <= 0.5), PINNED, "");
    }

    private static Target scale(List<Result> results) {
        Optional<Result> mp = results.stream()
                .filter(r -> r.impl().equals(Report.MP) && r.workload().startsWith("scale-broadcast-")).findFirst();
        if (mp.isEmpty()) {
            return new Target("request to 1,000 secondaries: ≤ 1.5x C's parent writing to 1,000 children, ≤ 0.05 "
                    + "primary threads per secondary",
                    "not measured", Optional.empty(), PINNED, "");
        }
        String n = String.format(Locale.ROOT, "%,d", n(mp.get()));
        String goal = "request to " + n + " secondaries: ≤ 1.5x C's parent writing to " + n + " children, ≤ 0.05 "
                + "primary threads per secondary";
        Optional<Result> c = Result.find(results, "c-stream", mp.get().workload());
        if (c.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty(), PINNED, "");
        }
        double ratio = mp.get().p50() / c.get().p50();
        Optional<Result> threads = Result.find(results, Report.MP, "scale-threads-per-secondary");
        Optional<Result> threaded = Result.find(results, Report.MP, "scale-threaded-" + mp.get().workload()
                .substring("scale-".length()));
        double perSecondary = threads.map(Result::p50).orElse(Double.NaN);
        String measured = String.format(Locale.ROOT, "%.2fx (%s vs %s), %.3f threads per secondary%s", ratio,
                Cells.value(mp.get().p50(), "ns"), Cells.value(c.get().p50(), "ns"), perSecondary,
                threaded.map(t -> String.format(Locale.ROOT, "; a reading thread per secondary: %.2fx (%s)",
                        t.p50() / c.get().p50(), Cells.value(t.p50(), "ns"))).orElse(""));
        return new Target(goal, measured, Optional.of(ratio <= 1.5 && perSecondary <= 0.05), PINNED, "");
    }

    private static Target fanout(List<Result> results) {
        Optional<Result> fan = results.stream()
                .filter(r -> r.impl().equals(Report.MP) && r.workload().matches("fanout-\\d+"))
                .max((a, b) -> Integer.compare(n(a), n(b)));
        if (fan.isEmpty()) {
            return new Target("request to 64 secondaries, unpinned: ≤ 25% of asking them one by one",
                    "not measured", Optional.empty(), UNPINNED, "");
        }
        int n = n(fan.get());
        String goal = "request to " + n + " secondaries, unpinned: ≤ 25% of asking them one by one";
        Optional<Result> seq = Result.find(results, Report.MP, "fanout-seq-" + n);
        if (seq.isEmpty()) {
            return new Target(goal, "not measured", Optional.empty(), UNPINNED, "");
        }
        double share = fan.get().p50() / seq.get().p50();
        // what the hardware allows: C's parent asking n children at once against n of its round trips
        Optional<Result> cFan = Result.find(results, "c-stream", "fanout-" + n);
        Optional<Result> cRtt = Result.find(results, "c-stream", "rtt-64");
        String c = cFan.isPresent() && cRtt.isPresent() ? String.format(Locale.ROOT,
                "C's parent, the same way: %s at once vs %d x its %s round trip = %.0f%%", Cells.value(cFan.get().p50(),
                        "ns"), n, Cells.value(cRtt.get().p50(), "ns"),
                100 * cFan.get().p50() / (n * cRtt.get().p50())) : "";
        boolean met = share <= 0.25;
        return new Target(goal, String.format(Locale.ROOT, "%.0f%% (%s vs %s)", 100 * share,
                Cells.value(fan.get().p50(), "ns"), Cells.value(seq.get().p50(), "ns")), Optional.of(met), UNPINNED,
                met ? "" : c);
    }

    private static int n(Result r) {
        return WorkloadRows.n(r.workload());
    }
}
