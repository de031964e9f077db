package dev.mpchannel.itests.karaf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts mpchannel secondaries as separate JVM processes from inside Karaf: each runs the dist's executable Felix jar
 * (with the demo bundle and its demo.* actions), configured through FileInstall from its own directory under
 * {@code workDir}: one channel, the factory configuration {@code dev.mpchannel.channel-<prefix>.cfg}.
 * {@link #close()} kills them all and deletes {@code workDir}. Should the test never get there, a shutdown hook of
 * this (Karaf's) JVM kills them, and coreutils' {@code timeout} kills each JVM after {@value #LIFETIME_LIMIT_SECONDS} s
 * whatever happens to Karaf.
 */
final class SecondaryLauncher implements AutoCloseable {
    private static final long LIFETIME_LIMIT_SECONDS = 240;

    private final Path distJar;
    private final Path socketDir;
    private final String prefix;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();
    private final Thread killer = new Thread(this::killAll, "itest-karaf-secondary-killer");

    SecondaryLauncher(Path distJar, Path socketDir, String prefix, Path workDir) throws IOException {
        this.distJar = distJar;
        this.socketDir = socketDir;
        this.prefix = prefix;
        this.workDir = Files.createDirectories(workDir);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts one secondary whose whitelist is {@code demo.*}; returns the {@code timeout} process around its JVM. */
    synchronized Process start() throws IOException {
        int index = processes.size() + 1;
        Path conf = Files.createDirectories(workDir.resolve("conf-" + index));
        Files.writeString(conf.resolve("dev.mpchannel.channel-" + prefix + ".cfg"), String.join("\n",
                "role=secondary",
                "prefix=" + prefix,
                "socket.dir=" + socketDir,
                "allowed.actions=demo.*", ""));
        Files.writeString(conf.resolve("dev.mpchannel.demo.cfg"), "run=false\n");
        Path tmp = Files.createDirectories(workDir.resolve("tmp-" + index));
        Process process = new ProcessBuilder(
                "timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dfelix.fileinstall.poll=200",
                "-Dorg.osgi.framework.storage=" + workDir.resolve("felix-cache-" + index),
                "-Dorg.osgi.framework.storage.clean=onFirstInit",
                // the launcher and junixsocket unpack into the temp dir: keep it inside workDir
                "-Djava.io.tmpdir=" + tmp,
                "-Dgosh.args=--nointeractive",
                "-Dlauncher.install.only=", // start the demo bundle too: its actions answer the tests
                "-jar", distJar.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("secondary-" + index + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** The pid of the JVM that {@code timeout} runs: the process the primary sees as its peer. */
    static long jvmPid(Process process) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var jvm = process.toHandle().children().findFirst();
            if (jvm.isPresent()) {
                return jvm.get().pid();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the secondary's JVM did not start");
    }

    /** Every secondary's output so far, for failure messages. */
    String logs() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path log : files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                all.append("--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        } catch (IOException e) {
            all.append("(logs unreadable: ").append(e).append(')');
        }
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
        try (Stream<Path> all = Files.walk(workDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private synchronized void killAll() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
