package dev.mpchannel.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table's arithmetic on made-up figures: parsing, ratios, the targets' verdicts. */
class ReportTest {
    private static Result r(String impl, String workload, double p50, double p99, String unit) {
        return new Result(impl, workload, p50, p99, unit, 100);
    }

    private static final List<Result> FIGURES = List.of(
            r("c-stream", "rtt-64", 4000, 8000, "ns"),
            r("mpchannel", "rtt-64", 5000, 30000, "ns"),
            r("grpc", "rtt-64", 50000, 90000, "ns"),
            r("c-stream", "oneway-64", 1_000_000, 900_000, "msg/s"),
            r("mpchannel", "oneway-64", 400_000, 300_000, "msg/s"),
            r("grpc", "oneway-64", 500_000, 400_000, "msg/s"),
            r("mpchannel", "fanout-64", 200_000, 400_000, "ns"),
            r("mpchannel", "fanout-seq-64", 1_000_000, 2_000_000, "ns"),
            new Result("mpchannel", "scale-heap-per-secondary", 70_000, 70_000, "B", 1),
            r("mpchannel", "scale-broadcast-1000", 9e6, 2e7, "ns"));

    @Test
    void parsesWhatItPrints() {
        Result result = r("jdk", "rtt-1024", 1234.5, 6789.0, "ns");
        assertEquals(Optional.of(result), Result.parse(result.line()));
        assertEquals(Optional.empty(), Result.parse("WARNING: something else"));
    }

    @Test
    void percentileIsNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(50, Result.percentile(sorted, 50));
        assertEquals(99, Result.percentile(sorted, 99));
        assertEquals(7, Result.percentile(new long[] {7}, 99));
    }

    @Test
    void judgesEachTarget() {
        Map<String, Optional<Boolean>> verdicts = new java.util.LinkedHashMap<>();
        Targets.judge(FIGURES).forEach(t -> verdicts.put(t.goal(), t.met()));
        assertEquals(Optional.of(true), verdicts.get("request/reply 64 B p50 ≤ 1.5x C stream"));        // 1.25x
        assertEquals(Optional.of(false), verdicts.get("request/reply 64 B p99 ≤ 3x C stream"));         // 3.75x
        assertEquals(Optional.empty(), verdicts.get("request/reply 1024 B p50 ≤ 1.5x C stream"));       // not measured
        assertEquals(Optional.of(false), verdicts.get("one-way send ≥ 50% of C stream msg/s"));         // 40%
        assertEquals(Optional.of(true), verdicts.get(
                "request to 64 well below 64 sequential round trips (taken as ≤ 50%)"));               // 20%
        assertEquals(Optional.of(false), verdicts.get("1,000 secondaries: ≤ 64 KiB primary heap each"));
        assertEquals(Optional.of(false), verdicts.get("ahead of gRPC on every row (median)"));          // one-way
    }

    @Test
    void rendersRatiosAndUnits() {
        String md = new Report("quick", Map.of("pinned", FIGURES), Duration.ofSeconds(90)).markdown();
        assertTrue(md.contains("| 1 request/reply 64 B | 4.0 µs / 8.0 µs |"), md);
        assertTrue(md.contains("**5.0 µs / 30.0 µs** | 1.25 / 3.75 |"), md);
        assertTrue(md.contains("| 3 one-way send 64 B (msg/s) | 1.00 M/s / 900 k/s |"), md);
        assertTrue(md.contains("| 5 primary heap per secondary |"), md);
        String csv = new Report("quick", Map.of("pinned", FIGURES), Duration.ofSeconds(90)).csv();
        assertTrue(csv.contains("pinned,rtt-64,c-stream,4000.0,8000.0,ns,100,1.2500,3.7500"), csv);
        assertTrue(csv.contains("pinned,rtt-64,mpchannel,5000.0,30000.0,ns,100,,"), csv);
    }
}
