package dev.mpchannel.bench.harness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the harness from rotting: the whole benchmark once, in smoke mode (tiny counts, a few secondaries, one
 * unpinned pass), with real processes, sockets and Felix. It checks that every workload produced a figure for
 * every implementation that has it (latencies with their histograms), and that the report, the CSV and the charts
 * are written; it never looks at how fast anything was. The DPDK rows are expected where DPDK is installed (and
 * DPDK's own primary-secondary rows where hugepages could be set up); elsewhere they are skipped with a line.
 */
class BenchSmokeIT {

    @Test
    void everyWorkloadProducesFigures() throws Exception {
        System.setProperty("bench.classpath", System.getProperty("bench.classes") + ":"
                + Files.readString(Path.of(System.getProperty("bench.classpath.file"))).trim());
        Spec spec = Spec.of("smoke");
        Path out = Path.of(System.getProperty("bench.out"));
        Bench bench = new Bench(spec, List.of("unpinned"), "1", Path.of(System.getProperty("bench.jar")), true, out);

        Map<String, List<Result>> results = bench.run();
        bench.write(results, Duration.ofSeconds(1));

        List<Result> figures = results.get("unpinned");
        List<String> missing = new ArrayList<>();
        for (String impl : List.of("c-stream", "c-seqpacket", "junixsocket", "jdk", "grpc", "mpchannel")) {
            for (int size : spec.sizes()) {
                expect(figures, impl, "rtt-" + size, missing);
                if (!impl.equals("jdk") && !impl.equals("grpc")) {
                    expect(figures, impl, "rtt-fd-" + size, missing);
                }
            }
            expect(figures, impl, "oneway-64", missing);
        }
        for (String impl : List.of("c-stream", "junixsocket", "jdk", "grpc", "mpchannel")) {
            for (String large : spec.large()) {
                expect(figures, impl, "rtt-" + large.split(":")[0], missing);
            }
        }
        for (int n : spec.fanout()) {
            expect(figures, "c-stream", "fanout-" + n, missing);
            expect(figures, "mpchannel", "fanout-" + n, missing);
            expect(figures, "grpc", "fanout-" + n, missing);
            if (n > 1) {
                expect(figures, "mpchannel", "fanout-seq-" + n, missing);
            }
        }
        expect(figures, "c-stream", "scale-broadcast-" + spec.scale(), missing);
        for (String w : List.of("scale-broadcast-" + spec.scale(), "scale-heap-per-secondary",
                "scale-fds-per-secondary", "scale-threads-per-secondary", "scale-rss-per-secondary")) {
            expect(figures, "mpchannel", w, missing);
        }
        for (String large : spec.large()) {
            expect(figures, "c-memcpy", "memcpy-" + large.split(":")[0], missing);
        }
        String dpdkNotes = bench.notes.getOrDefault("dpdk unpinned", "");
        if (!DpdkRows.installedVersion().isEmpty()) {
            for (String w : List.of("dpdk-java-to-primary", "dpdk-primary-to-java", "dpdk-primary-to-java-inline")) {
                expect(figures, "mpchannel", w, missing);
            }
            if (!dpdkNotes.contains("DPDK secondary skipped")) {
                expect(figures, "dpdk", "dpdk-primary-to-secondary", missing);
                expect(figures, "dpdk", "dpdk-secondary-to-primary", missing);
            }
        } else {
            assertTrue(dpdkNotes.contains("skipped"), dpdkNotes);
        }
        assertTrue(missing.isEmpty(), "no figure for " + missing + "; DPDK: " + dpdkNotes);

        // every latency comes with its histogram; the round trips of C, junixsocket, JDK and mpchannel with
        // their context switches
        for (Result r : figures) {
            if (r.isLatency()) {
                assertTrue(r.histogram() != null && r.histogram().getTotalCount() == r.samples(), r.line());
            }
        }
        for (String impl : List.of("c-stream", "junixsocket", "jdk", "mpchannel")) {
            assertTrue(Result.find(figures, impl, "rtt-64").orElseThrow().switches() != null, impl);
        }
        for (String chart : List.of("rtt-64.png", "rtt-1024.png", "rtt-fd-64.png", "fanout.png", "large.png",
                "oneway.png")) {
            assertTrue(Files.size(out.resolve("charts").resolve(chart)) > 1000, chart);
        }
        assertTrue(Files.exists(out.resolve("results.md")) && Files.exists(out.resolve("results.csv")));

        // latencies and rates are positive and samples were taken; per-secondary costs are just present
        for (Result r : figures) {
            if (!r.workload().startsWith("scale-") || r.workload().startsWith("scale-broadcast")) {
                assertTrue(r.p50() > 0 && r.p99() >= (r.isRate() ? 0 : r.p50()) && r.samples() > 0,
                        "implausible figure " + r.line());
            }
        }
        String markdown = new Report("smoke", results, Duration.ofSeconds(1)).markdown();
        assertTrue(markdown.contains("| 1 request/reply 64 B |"), markdown);
        assertTrue(markdown.contains("| p50 | p90 | p99 | p99.9 | max |"), markdown);
        assertFalse(Targets.judge(figures).isEmpty());
        String csv = RawResults.csv(results);
        assertTrue(csv.lines().count() > figures.size() / 2, csv);
    }

    private static void expect(List<Result> figures, String impl, String workload, List<String> missing) {
        if (Result.find(figures, impl, workload).isEmpty()) {
            missing.add(impl + "/" + workload);
        }
    }
}
