package dev.mpchannel.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic on made-up figures: the line formats, percentiles, ratios, the goals' verdicts. */
class ReportTest {
    private static Result r(String impl, String workload, double p50, double p99, String unit) {
        return new Result(impl, workload, p50, p99, unit, 100);
    }

    /** A latency whose samples are p50 (50 times), then p99 (49 times), then max. */
    private static Result lat(String impl, String workload, long p50, long p99, long max) {
        Histogram h = Result.newHistogram();
        h.recordValueWithCount(p50, 50);
        h.recordValueWithCount(p99, 49);
        h.recordValue(max);
        return Result.latency(impl, workload, h, null);
    }

    private static final List<Result> FIGURES = List.of(
            lat("c-stream", "rtt-64", 4000, 8000, 9000),
            lat("junixsocket", "rtt-64", 6000, 12000, 20000),
            lat("mpchannel", "rtt-64", 5000, 30000, 40000),
            lat("mpchannel", "rtt-inline-64", 7000, 20000, 30000),
            lat("grpc", "rtt-64", 50000, 90000, 100000),
            lat("junixsocket", "rtt-fd-64", 10000, 20000, 20000),
            lat("mpchannel", "rtt-fd-64", 20000, 40000, 40000),
            r("c-stream", "oneway-64", 1_000_000, 900_000, "msg/s"),
            r("mpchannel", "oneway-64", 850_000, 300_000, "msg/s"),
            r("grpc", "oneway-64", 500_000, 400_000, "msg/s"),
            lat("c-stream", "rtt-16777216", 4_000_000, 5_000_000, 5_000_000),
            lat("c-memcpy", "memcpy-16777216", 1_000_000, 1_000_000, 1_000_000),
            lat("mpchannel", "rtt-16777216", 3_000_000, 9_000_000, 9_000_000),
            lat("mpchannel", "fanout-64", 200_000, 400_000, 500_000),
            lat("mpchannel", "fanout-seq-64", 1_000_000, 2_000_000, 2_000_000),
            new Result("mpchannel", "scale-heap-per-secondary", 70_000, 70_000, "B", 1),
            new Result("mpchannel", "scale-threads-per-secondary", 0.01, 0.01, "thread", 1),
            lat("mpchannel", "scale-threaded-broadcast-1000", 12_000_000, 20_000_000, 20_000_000),
            lat("c-stream", "scale-broadcast-1000", 4_000_000, 5_000_000, 5_000_000),
            lat("mpchannel", "scale-broadcast-1000", 9_000_000, 20_000_000, 20_000_000));

    @Test
    void readsEveryLineFormat() {
        Result plain = r("jdk", "oneway-64", 1234.5, 6789.0, "msg/s");
        assertEquals(Optional.of(plain), Result.parse(plain.line()));
        assertEquals(Optional.empty(), Result.parse("WARNING: something else"));

        Histogram h = Result.newHistogram();
        for (long v = 1000; v <= 100_000; v += 1000) {
            h.recordValue(v);
        }
        List<String> lines = new ArrayList<>();
        lines.add("noise");
        lines.add(Result.histLine("junixsocket", "rtt-64", h));
        lines.add("SAMPLES c-stream rtt-64 3000 4000");
        lines.add("SAMPLES c-stream rtt-64 5000");
        lines.add("CTXSW c-stream rtt-64 3 3 0 3 3");
        lines.add(plain.line());
        List<Result> read = Result.read(lines);
        assertEquals(3, read.size());
        Result j = read.get(0);
        assertEquals(100, j.samples());
        assertEquals(50_000, j.p50(), 50_000 * 0.001);
        assertEquals(90_000, j.at(90), 90_000 * 0.001);
        assertEquals(100_000, j.max(), 100_000 * 0.001);
        Result c = read.get(1);
        assertEquals(3, c.samples());
        assertEquals(4000, c.p50(), 4);
        assertNotNull(c.switches());
        assertEquals(3.0, c.switches().perOp(), 1e-9);
        assertEquals(1.0, c.switches().requesterPerOp(), 1e-9);
        assertEquals(plain, read.get(2));
    }

    @Test
    void judgesEachGoal() {
        Map<String, Targets.Target> goals = new LinkedHashMap<>();
        Targets.judge(FIGURES).forEach(t -> goals.put(t.goal(), t));
        assertEquals(Optional.of(true), goals.get("request/reply 64 B, ordinary action: p50 ≤ 1.5x C stream").met());
        assertEquals(Optional.of(false), // 7000 / 6000
                goals.get("request/reply 64 B, inline action: p50 ≤ 1.1x bare junixsocket ping-pong").met());
        assertEquals(Optional.of(false), // 30000 / 8000
                goals.get("request/reply 64 B, action on the pool: p99 ≤ 3x C stream's p99").met());
        assertEquals(Optional.of(true), // 20000 / 8000
                goals.get("request/reply 64 B, inline action: p99 ≤ 3x C stream's p99").met());
        assertEquals(Optional.of(false), goals.get("+ 1 fd each way (64 B): p50 ≤ 1.25x junixsocket with fd").met());
        Targets.Target oneway = goals.get("one-way send 64 B: ≥ 80% of C's msg/s, one send at a time");
        assertEquals(Optional.of(true), oneway.met());
        assertEquals("85% (850 k/s vs 1.00 M/s)", oneway.measured());
        Targets.Target batched = goals.get("one-way send 64 B with batching (sendAll, 32 a call): ≥ 150% of C's msg/s");
        assertEquals(Optional.empty(), batched.met()); // no sendAll row among the figures
        assertEquals("not measured", batched.measured());
        Targets.Target shm = goals.get("16 MiB request/reply through shared memory: ≤ 0.5x C through the socket");
        assertEquals(Optional.of(false), shm.met()); // 3 / 4
        assertTrue(shm.measured().contains("3.0 memcpys"), shm.measured());
        Targets.Target scale = goals.get("request to 1,000 secondaries: ≤ 1.5x C's parent writing to 1,000 children, "
                + "≤ 0.05 primary threads per secondary");
        assertEquals(Optional.of(false), scale.met()); // 9 / 4
        assertTrue(scale.measured().contains("0.010 threads per secondary"), scale.measured());
        assertTrue(scale.measured().contains("a reading thread per secondary: 3.00x"), scale.measured());
        assertEquals(Optional.empty(), goals.get("1 MiB request/reply: p50 ≤ 1x C stream").met()); // not measured
        Targets.Target fan = goals.get("request to 64 secondaries, unpinned: ≤ 25% of asking them one by one");
        assertEquals(Optional.of(true), fan.met()); // 20%
        assertEquals(Targets.UNPINNED, fan.judgedOn());
        assertEquals(11, goals.size());
    }

    @Test
    void explainsWithContextSwitches() {
        Result.Switches mp = new Result.Switches(100, 300, 50, 250, 100);
        Result.Switches c = new Result.Switches(100, 100, 0, 100, 0);
        List<Result> figures = List.of(lat("c-stream", "rtt-64", 4000, 8000, 9000).with(c),
                lat("mpchannel", "rtt-64", 20000, 30000, 40000).with(mp));
        Targets.Target pool = Targets.judge(figures).get(0);
        assertEquals(Optional.of(false), pool.met());
        assertEquals("context switches per round trip: mpchannel 7.0 (requester 3.5, responder 3.5), C stream 2.0 "
                + "(1.0, 1.0)", pool.why());
    }

    @Test
    void rendersTablesAndCsv(@TempDir Path dir) throws Exception {
        Map<String, List<Result>> passes = new LinkedHashMap<>();
        passes.put("pinned", FIGURES);
        Report report = new Report("quick", passes, Duration.ofSeconds(90));
        String md = report.markdown();
        assertTrue(md.contains("| 1 request/reply 64 B | 4.0 µs / 8.0 µs |"), md);
        assertTrue(md.contains("**5.0 µs / 30.0 µs** | 1.25 / 3.75 |"), md);
        assertTrue(md.contains("| 3 one-way send 64 B (msg/s) | 1.00 M/s / 900 k/s |"), md);
        assertTrue(md.contains("| 5 primary heap per secondary |"), md);
        assertTrue(md.contains("| 1 request/reply 64 B | mpchannel | 5.0 µs | 30.0 µs | 30.0 µs | 40.0 µs | 40.0 µs "
                + "| 100 |"), md);
        assertTrue(md.contains("| request/reply 64 B, ordinary action: p50 ≤ 1.5x C stream | 1.25x (5.0 µs vs 4.0 µs)"
                + " | met (pinned) |"), md);
        String csv = RawResults.csv(passes);
        // HdrHistogram reports the highest value equivalent to a bucket (3 significant digits)
        assertTrue(csv.contains("pinned,rtt-64,c-stream,ns,100,4001.0,8003.0,8003.0,9007.0,9007.0,1.2504,3.7505,"), csv);
        assertTrue(csv.contains("pinned,oneway-64,mpchannel,msg/s,100,850000.0,,300000.0,,,,,"), csv);
        RawResults.histograms(passes, dir);
        assertTrue(Files.readString(dir.resolve("pinned/mpchannel_rtt-64.hgrm")).contains("Percentile"));
        List<String> charts = Charts.write(passes, dir.resolve("charts"));
        assertTrue(charts.contains("rtt-64.png") && charts.contains("fanout.png") && charts.contains("oneway.png"),
                charts.toString());
        assertTrue(Files.size(dir.resolve("charts/rtt-64.png")) > 1000);
    }

    @Test
    void ninesScale() {
        NinesFormat f = new NinesFormat();
        assertEquals("0%", f.format(0.0));
        assertEquals("90%", f.format(1.0));
        assertEquals("99%", f.format(2.0));
        assertEquals("99.9%", f.format(3.0));
        assertEquals("99.999%", f.format(5.0));
    }
}
