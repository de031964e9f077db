package dev.mpchannel.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark in one run: every baseline and every mpchannel workload, unpinned and pinned to one core, then the
 * table (stdout, {@code results.md}, {@code results.csv}).
 *
 * <pre>
 *   Bench smoke|quick|full [--out DIR] [--passes unpinned,pinned] [--cpu N] [--bench-jar PATH] [--no-grpc]
 *         [--no-dpdk]
 * </pre>
 *
 * Needs gcc and taskset on the PATH (the C baseline is compiled here, from the C source on the class path), and
 * the bench bundle's executable Felix jar ({@code --bench-jar}, default {@code bench/bundle/target/bench.jar}).
 * Child JVMs get this JVM's class path ({@code bench.classpath} overrides it). Everything is started from a
 * temporary directory under /tmp (short Unix socket paths) that is deleted at the end; every process is stopped,
 * also on failure and on Ctrl-C.
 * <p>
 * This class parses the command line and runs the passes; the rows come from {@link CBaselines},
 * {@link JavaBaselines}, {@link MpchannelRun} and {@link DpdkRows} (where DPDK is installed), the tables from
 * {@link Report}, the charts ({@code charts/*.png}) from {@link Charts}; every latency's HdrHistogram percentile
 * distribution goes to {@code histograms/<pass>/*.hgrm}.
 */
public final class Bench {
    /** The origin of the progress lines' timestamps: when the harness started. */
    private static final long STARTED = System.nanoTime();

    final Spec spec;
    final List<String> passes;
    final String cpu;
    final Path benchJar;
    final boolean grpc;
    final boolean dpdk;
    final String classpath;
    final String javaBin;
    final Path out;
    /** {@code --only large}: the large-parameter rows and their baselines alone ({@code large,gc}: and the run with
     * the segments released by the garbage collector). */
    boolean onlyLarge;
    boolean largeGc;

    /** Per pass: how long it took and how busy the machine was (other processes make the figures noisier). */
    final Map<String, String> notes = new LinkedHashMap<>();

    Bench(Spec spec, List<String> passes, String cpu, Path benchJar, boolean grpc, Path out) {
        this(spec, passes, cpu, benchJar, grpc, true, out);
    }

    Bench(Spec spec, List<String> passes, String cpu, Path benchJar, boolean grpc, boolean dpdk, Path out) {
        this.dpdk = dpdk;
        this.out = out;
        this.spec = spec;
        this.passes = passes;
        this.cpu = cpu;
        this.benchJar = benchJar;
        this.grpc = grpc;
        this.classpath = System.getProperty("bench.classpath", System.getProperty("java.class.path"));
        this.javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("report")) { // the report of the run saved in DIR, written again
            System.setProperty("java.awt.headless", "true");
            Path out = Path.of(args[1]);
            Map<String, String> notes = new LinkedHashMap<>();
            Map<String, List<Result>> results = readFigures(out, notes);
            Bench bench = new Bench(Spec.of(notes.getOrDefault("mode", "quick")), List.copyOf(results.keySet()), "1",
                    Path.of("."), true, out);
            bench.notes.putAll(notes);
            bench.write(results, Duration.ofSeconds(Long.parseLong(notes.getOrDefault("took", "0"))));
            return;
        }
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: Bench smoke|quick|full [--out DIR] [--passes unpinned,pinned] [--cpu N]"
                    + " [--bench-jar PATH] [--no-grpc] [--no-dpdk] [--only large|large,gc]");
            System.exit(2);
        }
        Spec spec = Spec.of(args[0]);
        Path out = Path.of("bench", "target");
        List<String> passes = List.of("unpinned", "pinned");
        String cpu = "1";
        Path benchJar = Path.of("bench", "bundle", "target", "bench.jar");
        boolean grpc = true;
        boolean dpdk = true;
        String only = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--passes" -> passes = List.of(args[++i].split(","));
                case "--cpu" -> cpu = args[++i];
                case "--bench-jar" -> benchJar = Path.of(args[++i]);
                case "--no-grpc" -> grpc = false;
                case "--no-dpdk" -> dpdk = false;
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.setProperty("java.awt.headless", "true");
        Bench bench = new Bench(spec, passes, cpu, benchJar, grpc, dpdk, out);
        if (only != null) {
            if (!only.equals("large") && !only.equals("large,gc")) {
                throw new IllegalArgumentException("--only takes large or large,gc, not " + only);
            }
            bench.onlyLarge = true;
            bench.largeGc = only.equals("large,gc");
        }
        Instant start = Instant.now();
        Map<String, List<Result>> results = bench.run();
        bench.notes.put("commit", Provenance.commit());
        bench.notes.put("date", java.time.ZonedDateTime.now().withNano(0).format(
                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        bench.write(results, Duration.between(start, Instant.now()));
    }

    /**
     * The report of a run: results.md, results.csv, charts/*.png, histograms/PASS/*.hgrm under the output dir, and
     * figures/ (every figure and note, which {@code Bench report DIR} reads to write the report again).
     */
    Report write(Map<String, List<Result>> results, Duration took) throws java.io.IOException {
        Path figures = Files.createDirectories(out.resolve("figures"));
        for (Map.Entry<String, List<Result>> pass : results.entrySet()) {
            List<String> lines = new ArrayList<>();
            pass.getValue().forEach(r -> lines.addAll(r.lines()));
            Files.write(figures.resolve(pass.getKey() + ".txt"), lines);
        }
        List<String> saved = new ArrayList<>(List.of("mode\t" + spec.mode(), "took\t" + took.toSeconds(),
                "passes\t" + String.join(",", results.keySet())));
        notes.forEach((k, v) -> saved.add(k + "\t" + v.replace("\n", "\\n")));
        Files.write(figures.resolve("notes.txt"), saved);
        List<String> charts = Charts.write(results, out.resolve("charts")).stream().map(c -> "charts/" + c).toList();
        Report report = new Report(spec.mode(), results, took, notes, charts);
        String markdown = report.markdown();
        System.out.println();
        System.out.println(markdown);
        Files.writeString(out.resolve("results.md"), markdown);
        Files.writeString(out.resolve("results.csv"), RawResults.csv(results));
        RawResults.histograms(results, out.resolve("histograms"));
        System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.csv") + ", "
                + out.resolve("charts") + " (" + charts.size() + " PNG), " + out.resolve("histograms"));
        return report;
    }

    private static Map<String, List<Result>> readFigures(Path out, Map<String, String> notes) throws java.io.IOException {
        for (String line : Files.readAllLines(out.resolve("figures").resolve("notes.txt"))) {
            int tab = line.indexOf('\t');
            notes.put(line.substring(0, tab), line.substring(tab + 1).replace("\\n", "\n"));
        }
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (String pass : notes.get("passes").split(",")) {
            results.put(pass, Result.read(out.resolve("figures").resolve(pass + ".txt")));
        }
        return results;
    }

    /** Runs every pass; returns each pass's figures. */
    Map<String, List<Result>> run() throws Exception {
        if (!Files.isRegularFile(benchJar)) {
            throw new IllegalStateException(benchJar + " is missing: build it first (mvn -B install -pl bench -am)");
        }
        Map<String, List<Result>> results = new LinkedHashMap<>();
        WorkDir work = WorkDir.create();
        try (Procs procs = work.startProcs()) {
            Path tmp = Files.createDirectories(work.path().resolve("tmp"));
            CommandLines commands = new CommandLines(cpu, javaBin, classpath, benchJar, tmp);
            CBaselines cBaselines = CBaselines.compile(spec, procs, commands, work.path());
            JavaBaselines javaBaselines = new JavaBaselines(spec, procs, commands, work.path());
            MpchannelRun mpchannel = new MpchannelRun(spec, procs, commands, work.path());
            DpdkRows dpdkRows = null;
            String noDpdk;
            if (!dpdk) {
                noDpdk = "DPDK rows skipped: --no-dpdk";
            } else {
                dpdkRows = DpdkRows.prepare(spec, procs, commands, work.path());
                noDpdk = "DPDK rows skipped: DPDK is not installed (pkg-config --exists libdpdk fails; "
                        + "apt-get install dpdk libdpdk-dev pkg-config)";
            }
            notes.put("dpdk", dpdkRows != null ? dpdkRows.version() + " (pkg-config libdpdk)" : noDpdk);
            for (String pass : passes) {
                if (!pass.equals("unpinned") && !pass.equals("pinned")) {
                    throw new IllegalArgumentException("a pass is unpinned or pinned, not " + pass);
                }
                log("=== pass: " + pass + (pass.equals("pinned") ? " (taskset -c " + cpu + " on every process)" : ""));
                String loadBefore = Provenance.loadAverage();
                long passStart = System.nanoTime();
                List<Result> figures = new ArrayList<>();
                if (onlyLarge) { // the large rows alone: C through the socket and memcpy, mpchannel both ways
                    figures.addAll(cBaselines.large(pass));
                    figures.addAll(mpchannel.large(pass, false));
                    if (largeGc) {
                        figures.addAll(mpchannel.large(pass, true));
                    }
                    figures.addAll(mpchannel.largeThroughTheSocket(pass));
                    results.put(pass, figures);
                    continue;
                }
                figures.addAll(cBaselines.run(pass));
                figures.addAll(javaBaselines.pingPong(pass, "junixsocket"));
                figures.addAll(javaBaselines.pingPong(pass, "jdk"));
                if (grpc) {
                    figures.addAll(javaBaselines.grpc(pass));
                }
                figures.addAll(mpchannel.all(pass));
                figures.addAll(mpchannel.largeThroughTheSocket(pass));
                figures.addAll(mpchannel.parkedCaller(pass));
                figures.addAll(mpchannel.actionsOnThePool(pass));
                figures.addAll(mpchannel.threadPerSecondary(pass));
                if (dpdkRows != null) {
                    figures.addAll(dpdkRows.run(pass));
                    notes.put("dpdk " + pass, String.join("\n", dpdkRows.notes.getOrDefault(pass, List.of())));
                } else {
                    Bench.log(noDpdk);
                    notes.put("dpdk " + pass, noDpdk);
                }
                results.put(pass, figures);
                notes.put(pass, String.format(Locale.ROOT, "took %.0f s; load average (1 min) of the machine %s at "
                        + "the start, %s at the end", (System.nanoTime() - passStart) / 1e9, loadBefore,
                        Provenance.loadAverage()));
            }
        } catch (Exception e) {
            System.err.println("mpbench: failed; the processes' logs are in " + out.resolve("logs"));
            throw e;
        } finally {
            work.keepLogsAndDelete(out);
        }
        return results;
    }

    /** A progress line on stdout, stamped with the seconds since the start. */
    public static void log(String text) {
        System.out.printf(Locale.ROOT, "[bench %5.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, text);
        System.out.flush();
    }
}
