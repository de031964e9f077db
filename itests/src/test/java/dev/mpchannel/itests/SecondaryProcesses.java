package dev.mpchannel.itests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Secondaries as separate JVM processes: each runs the dist's executable Felix jar with its own configuration
 * directory (read by FileInstall). {@link #close()} stops them all; a JVM shutdown hook and coreutils' {@code timeout}
 * make sure none outlives a test run that dies before it gets there.
 */
final class SecondaryProcesses implements AutoCloseable {
    private static final long LIFETIME_LIMIT_SECONDS = 300;

    private final Path socketDir;
    private final String prefix;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();
    private final Thread reaper = new Thread(this::destroyAll, "itest-reaper");

    SecondaryProcesses(Path socketDir, String prefix) throws IOException {
        this.socketDir = socketDir;
        this.prefix = prefix;
        this.workDir = Files.createTempDirectory("mpchannel-itest-secondaries-");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts a secondary that allows the demo's actions; returns its process. */
    Process start() throws IOException {
        return start("secondary");
    }

    /** Starts a process configured with {@code role} (secondary, auto or primary) that allows the demo's actions. */
    Process start(String role) throws IOException {
        int index = processes.size() + 1;
        Path conf = Files.createDirectories(workDir.resolve("conf-" + index));
        Files.writeString(conf.resolve("dev.mpchannel.channel-" + prefix + ".cfg"), String.join("\n",
                "role=" + role,
                "prefix=" + prefix,
                "socket.dir=" + socketDir,
                "allowed.actions=demo.*", ""));
        Files.writeString(conf.resolve("dev.mpchannel.demo.cfg"), "run=false\n");
        File log = workDir.resolve("secondary-" + index + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(
                "timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                javaExecutable(),
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dfelix.fileinstall.poll=200",
                "-Dorg.osgi.framework.storage=" + workDir.resolve("felix-cache-" + index),
                "-Dorg.osgi.framework.storage.clean=onFirstInit",
                // the launcher and junixsocket unpack into the temp dir; keep it where close() cleans up
                "-Djava.io.tmpdir=" + Files.createDirectories(workDir.resolve("tmp-" + index)),
                "-Dgosh.args=--nointeractive",
                "-Dlauncher.install.only=", // start the demo bundle too: its actions answer the tests
                "-jar", System.getProperty("mpchannel.dist.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Kills the JVM of {@code process} with SIGKILL (no shutdown of any kind) and waits until it is gone. */
    static void kill(Process process) throws InterruptedException {
        long pid = jvmPid(process);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The pid of the JVM inside {@code timeout}: the process the primary sees as its peer. */
    static long jvmPid(Process process) throws InterruptedException {
        for (int i = 0; i < 200; i++) { // timeout forks the JVM right away; give it up to 10 s on a loaded machine
            var jvm = process.toHandle().children().findFirst();
            if (jvm.isPresent()) {
                return jvm.get().pid();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the secondary's JVM did not start");
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                all.append("--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        } catch (IOException e) {
            all.append("(logs unreadable: ").append(e).append(')');
        }
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> all = Files.walk(workDir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private void destroyAll() {
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

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
