package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The DPDK rows, where DPDK is installed ({@code pkg-config --exists libdpdk}): the demo's DPDK application
 * ({@code demo/src/main/c/dpdk_primary.c}, compiled here against the installed libdpdk) times
 * {@code rte_mp_request_sync} with its {@code bench} command, and prints every sample, which is recorded here in an
 * HdrHistogram.
 * <ol>
 * <li>DPDK primary and a Java peer (no hugepages: {@code --no-huge}): a bench Felix JVM whose channel has
 * {@code wire=dpdk} requests the primary's {@code dpdk.echo} ({@code DpdkDriver} in the bundle,
 * {@code dpdk-java-to-primary}), then the primary requests the JVM's {@code bench.echo} and
 * {@code bench.echo-inline} ({@code dpdk-primary-to-java}, {@code dpdk-primary-to-java-inline}).</li>
 * <li>DPDK's own: the same application as a DPDK primary and as a DPDK secondary (hugepages: root only, set up and
 * put back by {@link HugePages}), each requesting the other's {@code dpdk.echo}
 * ({@code dpdk-primary-to-secondary}, {@code dpdk-secondary-to-primary}, impl {@code dpdk}).</li>
 * </ol>
 * Each DPDK process runs its EAL thread on one lcore: {@code --lcores 0@CPU} in the pinned pass (under the same
 * taskset as the rest), {@code 0@(all online CPUs)} unpinned. The context switches of both processes over each
 * timed run are read here from /proc. What cannot run is skipped with a line saying why ({@link #notes}); a failure
 * of a DPDK row is reported the same way and does not end the run.
 */
final class DpdkRows {
    /** Hugepages (2 MiB) for a primary and a secondary of {@code -m 64} each. */
    private static final int HUGEPAGES = 64;

    private final Spec spec;
    private final Procs procs;
    private final CommandLines commands;
    private final Path work;
    private final Path binary;
    private final String layout;
    private final String version;
    private int steps;

    /** Per pass, what was skipped or failed, and why. */
    final Map<String, List<String>> notes = new java.util.LinkedHashMap<>();

    private DpdkRows(Spec spec, Procs procs, CommandLines commands, Path work, Path binary, String version) {
        this.spec = spec;
        this.procs = procs;
        this.commands = commands;
        this.work = work;
        this.binary = binary;
        this.version = version;
        this.layout = layoutOf(version);
    }

    /** The DPDK version pkg-config knows, or empty if DPDK is not installed. */
    static String installedVersion() {
        try {
            Process p = new ProcessBuilder("pkg-config", "--modversion", "libdpdk").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** The channel's {@code dpdk.layout} for a DPDK version: 25.11 from 25.11 on, else 22.11 (docs/dpdk.md). */
    static String layoutOf(String version) {
        String[] v = version.split("\\.");
        try {
            int major = Integer.parseInt(v[0]);
            int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return major > 25 || (major == 25 && minor >= 11) ? "25.11" : "22.11";
        } catch (NumberFormatException e) {
            return "22.11";
        }
    }

    /** Compiles the DPDK application, or returns null if DPDK is not installed. */
    static DpdkRows prepare(Spec spec, Procs procs, CommandLines commands, Path work)
            throws IOException, InterruptedException {
        String version = installedVersion();
        if (version.isEmpty()) {
            return null;
        }
        Path source = work.resolve("dpdk_primary.c");
        try (InputStream in = DpdkRows.class.getResourceAsStream("/c/dpdk_primary.c")) {
            if (in == null) {
                throw new IllegalStateException("c/dpdk_primary.c is not on the class path");
            }
            Files.copy(in, source);
        }
        Path binary = work.resolve("dpdk_primary");
        List<String> gcc = new ArrayList<>(List.of("sh", "-c", "gcc -O2 -Wall -o '" + binary + "' '" + source
                + "' $(pkg-config --cflags --libs libdpdk)"));
        procs.await(procs.start("gcc-dpdk", gcc), 180);
        return new DpdkRows(spec, procs, commands, work, binary, version);
    }

    String version() {
        return version;
    }

    /** Every DPDK row of one pass; what could not run is in {@link #notes}. */
    List<Result> run(String pass) {
        List<Result> results = new ArrayList<>();
        List<String> said = notes.computeIfAbsent(pass, p -> new ArrayList<>());
        Bench.log("DPDK " + version + ": a DPDK primary and a Java peer (wire=dpdk, layout " + layout + ")");
        try {
            results.addAll(withJava(pass));
        } catch (Exception e) {
            said.add("DPDK primary ↔ Java peer failed: " + oneLine(e));
            Bench.log("  failed: " + oneLine(e));
        } finally {
            procs.stopAll();
        }
        HugePages.Attempt pages = HugePages.setUp(HUGEPAGES);
        if (pages.pages() == null) {
            said.add("DPDK primary ↔ DPDK secondary skipped: " + pages.whyNot());
            Bench.log("DPDK primary and DPDK secondary: skipped, " + pages.whyNot());
            return results;
        }
        Bench.log("DPDK " + version + ": a DPDK primary and a DPDK secondary (hugetlbfs at " + pages.pages().mount()
                + ", " + HUGEPAGES + " pages added for this step)");
        try (HugePages mine = pages.pages()) {
            try {
                results.addAll(dpdkOnly(pass, mine.mount()));
            } catch (Exception e) {
                said.add("DPDK primary ↔ DPDK secondary failed: " + oneLine(e));
                Bench.log("  failed: " + oneLine(e));
            } finally {
                procs.stopAll(); // before the hugepages go: a mapped page keeps the mount busy
            }
        }
        return results;
    }

    private List<Result> withJava(String pass) throws IOException, InterruptedException {
        Step step = step();
        Procs.Proc primary = startDpdk(pass, step, "dpdk-primary", List.of("--no-huge", "-m", "64"));
        Path dir = Files.createDirectories(work.resolve("dpdk-java-" + step.prefix));
        List<String> options = new ArrayList<>(List.of(
                "-Dmpbench.wire=dpdk",
                "-Dmpbench.dpdk.file.prefix=" + step.prefix,
                "-Dmpbench.dpdk.layout=" + layout,
                "-Dmpbench.dpdk.runtime.dir=" + step.runtimeDir.resolve("dpdk").resolve(step.prefix),
                "-Dmpbench.dpdk.driver.dir=" + dir,
                "-Dmpbench.warmup=" + spec.warmup(),
                "-Dmpbench.iters=" + spec.iters(),
                "-Dmpbench.reps=" + spec.reps(),
                "-Dmpbench.warmup.seconds=" + spec.warmupSeconds()));
        Procs.Proc java = procs.start("dpdk-java", commands.felix(pass, dir.resolve("felix"), "secondary",
                Files.createDirectories(dir.resolve("s")), options));
        Path status = dir.resolve("status");
        long start = System.nanoTime();
        while (true) {
            String now = Files.exists(status) ? Files.readString(status).trim() : "";
            if (now.equals("done")) {
                break;
            }
            if (now.startsWith("failed")) {
                throw new IOException("the Java side " + now);
            }
            long waited = System.nanoTime() - start;
            if (now.isEmpty() && waited > Duration.ofSeconds(90).toNanos()) { // its channel never came up
                throw new IOException("the Java side's driver did not start within 90 s:\n" + java.tail());
            }
            if (!java.alive() || !primary.alive() || waited > Duration.ofMinutes(15).toNanos()) {
                throw new IOException("the Java side did not finish:\n" + java.tail() + "\n" + primary.tail());
            }
            Thread.sleep(50);
        }
        List<Result> results = new ArrayList<>(Result.read(dir.resolve("results.txt")));
        int count = spec.iters() * spec.reps();
        results.add(bench(primary, java, "bench.echo", spec.warmup(), count, "mpchannel", "dpdk-primary-to-java"));
        results.add(bench(primary, java, "bench.echo-inline", spec.warmup(), count, "mpchannel",
                "dpdk-primary-to-java-inline"));
        primary.tell("quit");
        return results;
    }

    private List<Result> dpdkOnly(String pass, Path hugeDir) throws IOException, InterruptedException {
        Step step = step();
        List<String> huge = List.of("--huge-dir", hugeDir.toString(), "-m", "64");
        Procs.Proc primary = startDpdk(pass, step, "dpdk-primary-huge", huge);
        List<String> secondaryArgs = new ArrayList<>(List.of("--proc-type=secondary"));
        secondaryArgs.addAll(huge);
        Procs.Proc secondary = startDpdk(pass, step, "dpdk-secondary", secondaryArgs);
        int warmup = Math.min(spec.warmup(), Spec.C_WARMUP);
        int count = spec.iters() * spec.reps();
        List<Result> results = new ArrayList<>();
        results.add(bench(primary, secondary, "dpdk.echo", warmup, count, "dpdk", "dpdk-primary-to-secondary"));
        results.add(bench(secondary, primary, "dpdk.echo", warmup, count, "dpdk", "dpdk-secondary-to-primary"));
        secondary.tell("quit");
        primary.tell("quit");
        secondary.process().waitFor(5, TimeUnit.SECONDS);
        primary.process().waitFor(5, TimeUnit.SECONDS);
        return results;
    }

    /**
     * {@code asker} requests {@code action} WARMUP times untimed, then COUNT times timed (its bench command); the
     * samples go into a histogram, the context switches of both processes over the timed run beside them.
     */
    private Result bench(Procs.Proc asker, Procs.Proc answerer, String action, int warmup, int count, String impl,
            String workload) throws IOException, InterruptedException {
        int done = asker.logCount("BENCH " + action + " ");
        asker.tell("bench " + action + " " + warmup + " 0");
        procs.awaitLog(asker, "BENCH " + action + " ", ++done, 600);
        long before = samplesLines(asker, action);
        ContextSwitches askerBefore = ContextSwitches.of(asker.process().pid());
        ContextSwitches answererBefore = ContextSwitches.of(answerer.process().pid());
        asker.tell("bench " + action + " 0 " + count);
        procs.awaitLog(asker, "BENCH " + action + " ", ++done, 600);
        Result.Switches switches = ContextSwitches.between(count, askerBefore,
                ContextSwitches.of(asker.process().pid()), answererBefore, ContextSwitches.of(answerer.process().pid()));
        List<String> lines = Files.readAllLines(asker.log(), StandardCharsets.UTF_8);
        String summary = lines.stream().filter(l -> l.startsWith("BENCH " + action + " ")).reduce((a, b) -> b)
                .orElseThrow();
        if (!summary.contains(" failed=0 ") || summary.endsWith(" sent=0")) {
            throw new IOException(workload + ": " + summary + "\n" + answerer.tail());
        }
        Histogram histogram = Result.newHistogram();
        long seen = 0;
        for (String line : lines) {
            if (line.startsWith("SAMPLES " + action + " ") && seen++ >= before) {
                String[] f = line.trim().split("\\s+");
                for (int i = 2; i < f.length; i++) {
                    histogram.recordValue(Long.parseLong(f[i]));
                }
            }
        }
        if (histogram.getTotalCount() != count) {
            throw new IOException(workload + ": " + histogram.getTotalCount() + " samples, expected " + count);
        }
        return Result.latency(impl, workload, histogram, switches);
    }

    private static long samplesLines(Procs.Proc proc, String action) throws IOException {
        return Files.readAllLines(proc.log(), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("SAMPLES " + action + " ")).count();
    }

    /** A DPDK application's file prefix and runtime directory ({@code RUNTIME_DIRECTORY}), new for each step. */
    private record Step(String prefix, Path runtimeDir) {
    }

    private Step step() throws IOException {
        String prefix = "mpb" + ProcessHandle.current().pid() + "s" + ++steps;
        return new Step(prefix, Files.createDirectories(work.resolve("dpdk-run-" + steps)));
    }

    private Procs.Proc startDpdk(String pass, Step step, String name, List<String> eal)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(commands.pin(pass));
        command.add(binary.toString());
        command.addAll(eal);
        command.addAll(List.of("--no-pci", "--lcores", pass.equals("pinned") ? "0@" + commands.cpu()
                : "0@(" + onlineCpus() + ")", "--file-prefix", step.prefix, "--log-level", "lib.eal:error"));
        // DPDK's runtime directory (sockets, config) inside the work dir: removed with it
        Procs.Proc proc = procs.start(name, command, Map.of("RUNTIME_DIRECTORY", step.runtimeDir.toString()), true);
        procs.awaitLog(proc, "READY ", 60);
        return proc;
    }

    private static String onlineCpus() {
        try {
            return Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
        } catch (IOException e) {
            return "0-" + (Runtime.getRuntime().availableProcessors() - 1);
        }
    }

    private static String oneLine(Exception e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        return text.lines().findFirst().orElse(text);
    }
}
