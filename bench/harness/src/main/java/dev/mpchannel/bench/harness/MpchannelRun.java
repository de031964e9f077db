package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * mpchannel between Felix JVMs: a primary whose driver (in the bench bundle) measures, and the secondaries it asks
 * for through its {@code status} file: the first as its own Felix JVM, the fan-out's as Felix frameworks in
 * {@link FrameworkHost} JVMs, the scale step's as {@link RawSecondaries}. The figures come back in
 * {@code results.txt}.
 */
final class MpchannelRun {
    private final Spec spec;
    private final Procs procs;
    private final CommandLines commands;
    private final Path work;

    MpchannelRun(Spec spec, Procs procs, CommandLines commands, Path work) {
        this.spec = spec;
        this.procs = procs;
        this.commands = commands;
        this.work = work;
    }

    /** Every mpchannel row, with the channel's defaults. */
    List<Result> all(String pass) throws IOException, InterruptedException {
        Bench.log("mpchannel: primary and secondaries in Felix, separate JVMs");
        return run(pass, pass, spec.driverOptions(), List.of());
    }

    /**
     * The large rows alone (through shared memory, as in {@link #all}); with {@code gc}, the echo and the requester do
     * not let go of the parameters on purpose ({@code mpbench.large.scoped=false}), so that the segments come back
     * only when the garbage collector finds the messages unreachable: workload {@code rtt-gc-<size>}.
     */
    List<Result> large(String pass, boolean gc) throws IOException, InterruptedException {
        Bench.log("mpchannel: large parameters through shared memory" + (gc ? ", released by the collector" : ""));
        List<String> driver = new ArrayList<>(spec.driverOptions()); // the warm-up of the main rows first
        driver.addAll(List.of("-Dmpbench.large.only=true", "-Dmpbench.large.warm=true",
                "-Dmpbench.large.workload=" + (gc ? "rtt-gc-" : "rtt-")));
        if (gc) {
            driver.add("-Dmpbench.large.scoped=false");
        }
        return run(pass + (gc ? "-gc" : "-large"), pass, driver, List.of());
    }

    /**
     * The large rows again with {@code inline.max.bytes} raised on both sides, so that the parameters go through the
     * socket instead of shared memory: the two ways side by side.
     */
    List<Result> largeThroughTheSocket(String pass) throws IOException, InterruptedException {
        Bench.log("mpchannel: large parameters through the socket (inline.max.bytes raised)");
        List<String> both = List.of("-Dmpbench.inline.max.bytes=" + Integer.MAX_VALUE);
        List<String> driver = new ArrayList<>(both);
        // only the sizes that go through shared memory by default (over the 64 KiB inline limit)
        List<String> large = spec.large().stream().filter(s -> Integer.parseInt(s.split(":")[0]) > 65536).toList();
        driver.addAll(List.of("-Dmpbench.large.only=true", "-Dmpbench.large.workload=rtt-socket-",
                "-Dmpbench.large=" + String.join(",", large)));
        return run(pass + "-socket", pass, driver, both);
    }

    /**
     * The 64-byte round trips again with the caller parking at once ({@code request.spin.us=0}) instead of spinning
     * for its reply: the two designs of the requester's wait side by side, with their context switches.
     */
    List<Result> parkedCaller(String pass) throws IOException, InterruptedException {
        Bench.log("mpchannel: round trips with the requesting caller parked (request.spin.us=0)");
        List<String> both = List.of("-Dmpbench.request.spin.us=0");
        List<String> driver = new ArrayList<>(spec.driverOptions()); // the same counts as the main rows
        driver.addAll(both);
        driver.add("-Dmpbench.rtt.only=park");
        return run(pass + "-park", pass, driver, both);
    }

    /**
     * The 64-byte round trips again with every ordinary action on the action threads ({@code reader.handoff.us=0})
     * instead of on the thread that read it: the two designs of the responder's side, with their context switches.
     */
    List<Result> actionsOnThePool(String pass) throws IOException, InterruptedException {
        Bench.log("mpchannel: round trips with every action on the action threads (reader.handoff.us=0)");
        List<String> both = List.of("-Dmpbench.reader.handoff.us=0");
        List<String> driver = new ArrayList<>(spec.driverOptions());
        driver.addAll(both);
        driver.add("-Dmpbench.rtt.only=pooled");
        return run(pass + "-pooled", pass, driver, both);
    }

    /**
     * The scale step again with a reading thread for every secondary ({@code read.threads} above their number)
     * instead of the pollers that read those beyond the default 16, with the same secondaries connected (the
     * fan-out's Felix ones, then the raw ones): the two reading designs side by side.
     */
    List<Result> threadPerSecondary(String pass) throws IOException, InterruptedException {
        if (spec.scale() <= 1) {
            return List.of();
        }
        Bench.log("mpchannel: the scale step with a reading thread per secondary (read.threads=" + spec.scale() + ")");
        List<String> driver = new ArrayList<>(spec.driverOptions());
        driver.addAll(List.of("-Dmpbench.read.threads=" + spec.scale(), "-Dmpbench.scale.only=true",
                "-Dmpbench.scale.workload=scale-threaded-"));
        return run(pass + "-threaded", pass, driver, List.of());
    }

    /** Runs one primary with its driver, and the secondaries it asks for, in {@code work/mpchannel-<name>}. */
    private List<Result> run(String name, String pass, List<String> driverOptions, List<String> secondaryOptions)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("mpchannel-" + name));
        Path sockets = Files.createDirectories(dir.resolve("s"));
        List<String> driver = new ArrayList<>(List.of("-Dmpbench.driver.dir=" + dir));
        driver.addAll(driverOptions);
        List<Procs.Proc> mine = new ArrayList<>();
        try {
            Procs.Proc primary = procs.start("mpchannel-primary", commands.felix(pass, dir.resolve("primary"),
                    "primary", sockets, driver));
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
                        mine.add(procs.start("mpchannel-secondary", commands.felix(pass, dir.resolve("secondary"),
                                "secondary", sockets, secondaryOptions)));
                        started = 1;
                    }
                    if (need > started && need == spec.scale() && !spec.fanout().contains(need)) {
                        // the scale step: lightweight raw-protocol secondaries, several processes
                        for (int k : FanoutHosts.chunks(need - started, FanoutHosts.RAW_PER_PROCESS)) {
                            mine.add(procs.start("raw-secondaries-" + k, commands.java(pass, List.of("-Xmx256m"),
                                    RawSecondaries.class, List.of(sockets.resolve(CommandLines.PREFIX + ".sock")
                                            .toString(), Integer.toString(k)))));
                        }
                        Bench.log("  " + (need - started) + " raw-protocol secondaries added");
                        started = need;
                    } else if (need > started) {
                        // a fan-out step: more real secondaries, several Felix frameworks per JVM
                        for (int k : FanoutHosts.chunks(need - started, FanoutHosts.FRAMEWORKS_PER_HOST)) {
                            Path hostDir = Files.createDirectories(dir.resolve("host-" + ++hosts));
                            mine.add(procs.start("felix-host-" + k, commands.java(pass,
                                    List.of("-Djava.io.tmpdir=" + Files.createDirectories(hostDir.resolve("tmp")),
                                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                                    FrameworkHost.class, List.of(commands.benchJar().toString(), hostDir.toString(),
                                            Integer.toString(k), CommandLines.PREFIX, sockets.toString()))));
                        }
                        Bench.log("  " + (need - started) + " secondar" + (need - started == 1 ? "y" : "ies")
                                + " added (Felix frameworks, " + FanoutHosts.FRAMEWORKS_PER_HOST + " per JVM at most)");
                        started = need;
                    }
                }
                Thread.sleep(50);
            }
            return Result.read(dir.resolve("results.txt"));
        } finally {
            procs.stopAll();
        }
    }
}
