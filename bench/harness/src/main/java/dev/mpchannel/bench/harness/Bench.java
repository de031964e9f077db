package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 */
public final class Bench {
    /** Secondaries per FrameworkHost JVM, and raw-protocol secondaries per RawSecondaries JVM. */
    private static final int FRAMEWORKS_PER_HOST = 24;
    private static final int RAW_PER_PROCESS = 250;
    private static final String PREFIX = "bench";

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
    private Path work;
    private Procs procs;
    private Path pingpong;

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
        bench.notes.put("commit", commit());
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
        work = Files.createTempDirectory(Path.of("/tmp"), "mpbench-");
        // on Ctrl-C or SIGTERM: stop every process, then remove the work dir (the normal path does both below)
        Thread cleanup = new Thread(() -> {
            if (procs != null) {
                procs.stopAll();
            }
            try {
                deleteTree(work);
            } catch (IOException e) {
                System.err.println("mpbench: could not remove " + work + ": " + e);
            }
        }, "mpbench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (Procs processes = new Procs(work.resolve("logs"))) {
            procs = processes;
            Files.createDirectories(work.resolve("tmp"));
            pingpong = compileC();
            for (String pass : passes) {
                if (!pass.equals("unpinned") && !pass.equals("pinned")) {
                    throw new IllegalArgumentException("a pass is unpinned or pinned, not " + pass);
                }
                log("=== pass: " + pass + (pass.equals("pinned") ? " (taskset -c " + cpu + " on every process)" : ""));
                String loadBefore = loadAverage();
                long passStart = System.nanoTime();
                List<Result> figures = new ArrayList<>();
                figures.addAll(cBaselines(pass));
                figures.addAll(javaBaseline(pass, "junixsocket"));
                figures.addAll(javaBaseline(pass, "jdk"));
                if (grpc) {
                    figures.addAll(grpcBaseline(pass));
                }
                figures.addAll(mpchannel(pass));
                figures.addAll(mpchannelLargeThroughTheSocket(pass));
                results.put(pass, figures);
                notes.put(pass, String.format(Locale.ROOT, "took %.0f s; load average (1 min) of the machine %s at "
                        + "the start, %s at the end", (System.nanoTime() - passStart) / 1e9, loadBefore, loadAverage()));
            }
        } catch (Exception e) {
            System.err.println("mpbench: failed; the processes' logs are in " + out.resolve("logs"));
            throw e;
        } finally {
            // keep the logs (small) for a look afterwards; everything else goes
            Path logs = out.resolve("logs");
            deleteTree(logs);
            Files.createDirectories(out);
            if (Files.isDirectory(work.resolve("logs"))) {
                Files.createDirectories(logs);
                try (Stream<Path> files = Files.list(work.resolve("logs"))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, logs.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            deleteTree(work);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        return results;
    }

    // --- C -------------------------------------------------------------------------------------------------------

    private Path compileC() throws IOException, InterruptedException {
        Path source = work.resolve("pingpong.c");
        try (InputStream in = Bench.class.getResourceAsStream("/c/pingpong.c")) {
            if (in == null) {
                throw new IllegalStateException("c/pingpong.c is not on the class path");
            }
            Files.copy(in, source);
        }
        Path binary = work.resolve("pingpong");
        procs.await(procs.start("gcc", List.of("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString())), 120);
        return binary;
    }

    private List<Result> cBaselines(String pass) throws IOException, InterruptedException {
        log("C baselines (AF_UNIX, SOCK_STREAM and SOCK_SEQPACKET)");
        List<Result> results = new ArrayList<>();
        String warmup = Integer.toString(Math.min(spec.warmup(), Spec.C_WARMUP));
        String iters = Integer.toString(spec.iters());
        String reps = Integer.toString(spec.reps());
        for (String type : List.of("stream", "seqpacket")) {
            for (int size : spec.sizes()) {
                results.addAll(c(pass, "rtt", type, Integer.toString(size), warmup, iters, reps, "nofd"));
                results.addAll(c(pass, "rtt", type, Integer.toString(size), warmup, iters, reps, "fd"));
            }
            results.addAll(c(pass, "oneway", type, "64", Integer.toString(spec.onewayCount()),
                    Integer.toString(spec.onewayReps())));
        }
        for (String large : spec.large()) {
            String[] parts = large.split(":");
            int n = Integer.parseInt(parts[1]);
            results.addAll(c(pass, "rtt", "stream", parts[0], Integer.toString(Math.max(2, n / 5)),
                    Integer.toString(n), "1", "nofd"));
        }
        List<Integer> fanouts = new ArrayList<>(spec.fanout());
        if (spec.scale() > 0) {
            fanouts.add(spec.scale());
        }
        for (int n : fanouts) {
            int count = n == spec.scale() ? spec.scaleIters() : spec.fanoutIters();
            int warm = n == spec.scale() ? spec.scaleWarmup() : spec.fanoutWarmup();
            for (Result r : c(pass, "fanout", "stream", Integer.toString(n), Integer.toString(warm),
                    Integer.toString(count))) {
                // the C fan-out at the scale step is the baseline of mpchannel's broadcast to that many
                results.add(n == spec.scale() && !spec.fanout().contains(n)
                        ? new Result(r.impl(), "scale-broadcast-" + n, r.p50(), r.p99(), r.unit(), r.samples()) : r);
            }
        }
        return results;
    }

    private List<Result> c(String pass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(pin(pass));
        command.add(pingpong.toString());
        command.addAll(List.of(args));
        return procs.await(procs.start("c-" + String.join("-", args), command), 600).results();
    }

    // --- Java baselines ----------------------------------------------------------------------------------------------

    private List<Result> javaBaseline(String pass, String impl) throws IOException, InterruptedException {
        log("Java baseline: " + impl);
        Path socket = work.resolve(impl + ".sock");
        Procs.Proc server = procs.start(impl + "-server", javaCommand(pass, List.of(), PingPong.class,
                List.of("server", impl, socket.toString())));
        procs.awaitLog(server, "LISTENING", 60);
        List<String> args = new ArrayList<>(List.of("client", impl, socket.toString()));
        args.addAll(spec.clientArgs());
        List<Result> results = procs.await(procs.start(impl + "-client",
                javaCommand(pass, List.of(), PingPong.class, args)), 900).results();
        server.process().waitFor(5, TimeUnit.SECONDS); // it ends when the client does
        return results;
    }

    private List<Result> grpcBaseline(String pass) throws IOException, InterruptedException {
        log("gRPC baseline (grpc-netty, epoll, Unix domain socket)");
        Path socket = work.resolve("grpc.sock");
        Procs.Proc server = procs.start("grpc-server", javaCommand(pass, List.of(), GrpcBench.class,
                List.of("server", socket.toString())));
        // for the fan-out: max(N) - 1 more servers, spread over JVMs as mpchannel's added secondaries are
        Path dir = Files.createDirectories(work.resolve("grpc-fanout"));
        List<Procs.Proc> hosts = new ArrayList<>();
        int first = 1; // server 0 is the one above
        for (int k : hostSizes()) {
            hosts.add(procs.start("grpc-servers-" + k, javaCommand(pass, List.of(), GrpcBench.class,
                    List.of("servers", dir.toString(), Integer.toString(first), Integer.toString(k)))));
            first += k;
        }
        procs.awaitLog(server, "LISTENING", 60);
        for (Procs.Proc host : hosts) {
            procs.awaitLog(host, "LISTENING", 120);
        }
        // one client JVM for every gRPC workload, as one primary runs every mpchannel workload
        List<String> args = new ArrayList<>(List.of("client", socket.toString()));
        args.addAll(spec.clientArgs());
        args.addAll(List.of(dir.toString(), Spec.join(spec.fanout()), Integer.toString(spec.fanoutWarmup()),
                Integer.toString(spec.fanoutIters()), Integer.toString(spec.warmupSeconds())));
        List<Result> results = procs.await(procs.start("grpc-client",
                javaCommand(pass, List.of(), GrpcBench.class, args)), 900).results();
        List<Procs.Proc> all = new ArrayList<>(hosts);
        all.add(server);
        all.forEach(p -> p.process().destroy());
        for (Procs.Proc p : all) {
            p.process().waitFor(5, TimeUnit.SECONDS);
        }
        return results;
    }

    // --- mpchannel ---------------------------------------------------------------------------------------------------

    /**
     * The large rows again with {@code inline.max.bytes} raised on both sides, so that the parameters go through the
     * socket instead of shared memory: the two ways side by side.
     */
    private List<Result> mpchannelLargeThroughTheSocket(String pass) throws IOException, InterruptedException {
        log("mpchannel: large parameters through the socket (inline.max.bytes raised)");
        List<String> both = List.of("-Dmpbench.inline.max.bytes=" + Integer.MAX_VALUE);
        List<String> driver = new ArrayList<>(both);
        // only the sizes that go through shared memory by default (over the 64 KiB inline limit)
        List<String> large = spec.large().stream().filter(s -> Integer.parseInt(s.split(":")[0]) > 65536).toList();
        driver.addAll(List.of("-Dmpbench.large.only=true", "-Dmpbench.large.workload=rtt-socket-",
                "-Dmpbench.large=" + String.join(",", large)));
        return mpchannel(pass + "-socket", pass, driver, both);
    }

    private List<Result> mpchannel(String pass) throws IOException, InterruptedException {
        log("mpchannel: primary and secondaries in Felix, separate JVMs");
        return mpchannel(pass, pass, driverOptions(), List.of());
    }

    private List<String> driverOptions() {
        return List.of(
                "-Dmpbench.warmup=" + spec.warmup(),
                "-Dmpbench.iters=" + spec.iters(),
                "-Dmpbench.reps=" + spec.reps(),
                "-Dmpbench.sizes=" + Spec.join(spec.sizes()),
                "-Dmpbench.oneway.count=" + spec.onewayCount(),
                "-Dmpbench.oneway.reps=" + spec.onewayReps(),
                "-Dmpbench.large=" + String.join(",", spec.large()),
                "-Dmpbench.fanout=" + Spec.join(spec.fanout()),
                "-Dmpbench.fanout.warmup=" + spec.fanoutWarmup(),
                "-Dmpbench.fanout.iters=" + spec.fanoutIters(),
                "-Dmpbench.scale=" + spec.scale(),
                "-Dmpbench.scale.warmup=" + spec.scaleWarmup(),
                "-Dmpbench.scale.iters=" + spec.scaleIters(),
                "-Dmpbench.warmup.seconds=" + spec.warmupSeconds());
    }

    /** Runs one primary with its driver, and the secondaries it asks for, in {@code work/mpchannel-<name>}. */
    private List<Result> mpchannel(String name, String pass, List<String> driverOptions, List<String> secondaryOptions)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("mpchannel-" + name));
        Path sockets = Files.createDirectories(dir.resolve("s"));
        List<String> driver = new ArrayList<>(List.of("-Dmpbench.driver.dir=" + dir));
        driver.addAll(driverOptions);
        List<Procs.Proc> mine = new ArrayList<>();
        try {
            Procs.Proc primary = procs.start("mpchannel-primary", felixCommand(pass, dir.resolve("primary"), "primary",
                    sockets, driver));
            mine.add(primary);
            Path status = dir.resolve("status");
            int started = 0;
            int hosts = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (true) {
                if (!primary.alive()) {
                    throw new IOException("the primary ended:\n" + primary.tail());
                }
                for (Procs.Proc p : mine) {
                    if (!p.alive()) {
                        throw new IOException(p.name() + " ended:\n" + p.tail());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("mpchannel did not finish in time:\n" + primary.tail());
                }
                String now = Files.exists(status) ? Files.readString(status).trim() : "";
                if (now.equals("done")) {
                    break;
                }
                if (now.startsWith("failed")) {
                    throw new IOException("the driver " + now + "\n" + primary.tail());
                }
                if (now.startsWith("need ")) {
                    int need = Integer.parseInt(now.substring(5));
                    if (started == 0 && need >= 1) {
                        mine.add(procs.start("mpchannel-secondary", felixCommand(pass, dir.resolve("secondary"),
                                "secondary", sockets, secondaryOptions)));
                        started = 1;
                    }
                    if (need > started && need == spec.scale() && !spec.fanout().contains(need)) {
                        // the scale step: lightweight raw-protocol secondaries, several processes
                        for (int left = need - started; left > 0; left -= RAW_PER_PROCESS) {
                            int k = Math.min(left, RAW_PER_PROCESS);
                            mine.add(procs.start("raw-secondaries-" + k, javaCommand(pass, List.of("-Xmx256m"),
                                    RawSecondaries.class, List.of(sockets.resolve(PREFIX + ".sock").toString(),
                                            Integer.toString(k)))));
                        }
                        log("  " + (need - started) + " raw-protocol secondaries added");
                        started = need;
                    } else if (need > started) {
                        // a fan-out step: more real secondaries, several Felix frameworks per JVM
                        for (int k : chunks(need - started, FRAMEWORKS_PER_HOST)) {
                            Path hostDir = Files.createDirectories(dir.resolve("host-" + ++hosts));
                            mine.add(procs.start("felix-host-" + k, javaCommand(pass,
                                    List.of("-Djava.io.tmpdir=" + Files.createDirectories(hostDir.resolve("tmp")),
                                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                                    FrameworkHost.class, List.of(benchJar.toString(), hostDir.toString(),
                                            Integer.toString(k), PREFIX, sockets.toString()))));
                        }
                        log("  " + (need - started) + " secondar" + (need - started == 1 ? "y" : "ies")
                                + " added (Felix frameworks, " + FRAMEWORKS_PER_HOST + " per JVM at most)");
                        started = need;
                    }
                }
                Thread.sleep(50);
            }
            List<Result> results = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("results.txt"), StandardCharsets.UTF_8)) {
                Result.parse(line).ifPresent(results::add);
            }
            return results;
        } finally {
            procs.stopAll();
        }
    }

    /** Splits n into parts of at most max. */
    static List<Integer> chunks(int n, int max) {
        List<Integer> parts = new ArrayList<>();
        for (int left = n; left > 0; left -= max) {
            parts.add(Math.min(left, max));
        }
        return parts;
    }

    /**
     * How many secondaries (or gRPC servers) each extra JVM of the fan-out holds: each step's additions split into
     * JVMs of at most 24 (for 1, 4, 16, 64: 3, 12, 24, 24). The first one is the JVM that served the round trips.
     */
    List<Integer> hostSizes() {
        List<Integer> sizes = new ArrayList<>();
        int have = 1;
        for (int n : spec.fanout()) {
            sizes.addAll(chunks(n - have, FRAMEWORKS_PER_HOST));
            have = Math.max(have, n);
        }
        return sizes;
    }

    /** A Felix JVM from the bench's executable jar, configured through mpbench.* system properties. */
    private List<String> felixCommand(String pass, Path dir, String role, Path sockets, List<String> extra)
            throws IOException {
        List<String> command = new ArrayList<>(pin(pass));
        command.addAll(List.of(javaBin,
                "-Dorg.osgi.framework.storage=" + dir.resolve("felix-cache"),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                "-Dmpbench.role=" + role,
                "-Dmpbench.prefix=" + PREFIX,
                "-Dmpbench.socket.dir=" + sockets));
        command.addAll(extra);
        command.addAll(List.of("-jar", benchJar.toString()));
        return command;
    }

    private List<String> javaCommand(String pass, List<String> jvmOptions, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(pin(pass));
        command.add(javaBin);
        // native libraries (junixsocket's, Netty's epoll) are unpacked into java.io.tmpdir: keep them in the work dir
        command.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
        command.addAll(jvmOptions); // a -Djava.io.tmpdir here wins: the last one counts
        command.addAll(List.of("-cp", classpath, main.getName()));
        command.addAll(args);
        return command;
    }

    private List<String> pin(String pass) {
        return pass.equals("pinned") ? List.of("taskset", "-c", cpu) : List.of();
    }

    private static final long STARTED = System.nanoTime();

    /** The commit measured, and the files changed in the work tree outside bench/ (they were measured too). */
    static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD").trim();
            List<String> changed = git("status", "--porcelain", "--untracked-files=no").lines()
                    .map(l -> l.substring(3)).filter(f -> !f.startsWith("bench/") && !f.equals("pom.xml")).toList();
            return head + (changed.isEmpty() ? "" : " with uncommitted changes to " + String.join(", ", changed));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (git.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + ": " + out.trim());
        }
        return out;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void log(String text) {
        System.out.printf(Locale.ROOT, "[bench %5.1fs] %s%n", (System.nanoTime() - STARTED) / 1e9, text);
        System.out.flush();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
