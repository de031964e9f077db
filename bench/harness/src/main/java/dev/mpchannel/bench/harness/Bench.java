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
 * </pre>
 *
 * Needs gcc and taskset on the PATH (the C baseline is compiled here, from the C source on the class path), and
 * the bench bundle's executable Felix jar ({@code --bench-jar}, default {@code bench/bundle/target/bench.jar}).
 * Child JVMs get this JVM's class path ({@code bench.classpath} overrides it). Everything is started from a
 * temporary directory under /tmp (short Unix socket paths) that is deleted at the end; every process is stopped,
 * also on failure and on Ctrl-C.
 * <p>
 * This class parses the command line and runs the passes; the rows come from {@link CBaselines},
 * {@link JavaBaselines} and {@link MpchannelRun}, the table from {@link Report}.
 */
public final class Bench {
    /** The origin of the progress lines' timestamps: when the harness started. */
    private static final long STARTED = System.nanoTime();

    final Spec spec;
    final List<String> passes;
    final String cpu;
    final Path benchJar;
    final boolean grpc;
    final String classpath;
    final String javaBin;
    final Path out;

    /** Per pass: how long it took and how busy the machine was (other processes make the figures noisier). */
    final Map<String, String> notes = new LinkedHashMap<>();

    Bench(Spec spec, List<String> passes, String cpu, Path benchJar, boolean grpc, Path out) {
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
        if (args.length == 0 || args[0].startsWith("-")) {
            System.err.println("usage: Bench smoke|quick|full [--out DIR] [--passes unpinned,pinned] [--cpu N]"
                    + " [--bench-jar PATH] [--no-grpc]");
            System.exit(2);
        }
        Spec spec = Spec.of(args[0]);
        Path out = Path.of("bench", "target");
        List<String> passes = List.of("unpinned", "pinned");
        String cpu = "1";
        Path benchJar = Path.of("bench", "bundle", "target", "bench.jar");
        boolean grpc = true;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--passes" -> passes = List.of(args[++i].split(","));
                case "--cpu" -> cpu = args[++i];
                case "--bench-jar" -> benchJar = Path.of(args[++i]);
                case "--no-grpc" -> grpc = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Bench bench = new Bench(spec, passes, cpu, benchJar, grpc, out);
        Instant start = Instant.now();
        Map<String, List<Result>> results = bench.run();
        bench.notes.put("commit", Provenance.commit());
        Report report = new Report(spec.mode(), results, Duration.between(start, Instant.now()), bench.notes);
        String markdown = report.markdown();
        System.out.println();
        System.out.println(markdown);
        Files.writeString(out.resolve("results.md"), markdown);
        Files.writeString(out.resolve("results.csv"), report.csv());
        System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.csv"));
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
            for (String pass : passes) {
                if (!pass.equals("unpinned") && !pass.equals("pinned")) {
                    throw new IllegalArgumentException("a pass is unpinned or pinned, not " + pass);
                }
                log("=== pass: " + pass + (pass.equals("pinned") ? " (taskset -c " + cpu + " on every process)" : ""));
                String loadBefore = Provenance.loadAverage();
                long passStart = System.nanoTime();
                List<Result> figures = new ArrayList<>();
                figures.addAll(cBaselines.run(pass));
                figures.addAll(javaBaselines.pingPong(pass, "junixsocket"));
                figures.addAll(javaBaselines.pingPong(pass, "jdk"));
                if (grpc) {
                    figures.addAll(javaBaselines.grpc(pass));
                }
                figures.addAll(mpchannel.all(pass));
                figures.addAll(mpchannel.largeThroughTheSocket(pass));
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
    static void log(String text) {
        System.out.printf(Locale.ROOT, "[bench %5.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, text);
        System.out.flush();
    }
}
