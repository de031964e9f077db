package dev.mpchannel.itests.webconsole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * mpchannel processes started with {@code mpchannel.sh --conf DIR} (and {@code --console PORT} for the one that
 * serves the console), each with its own configuration and run directory under one temp directory.
 * {@link #close()} kills them all and removes the directory; a JVM shutdown hook and coreutils' {@code timeout} make
 * sure none outlives a test run that dies before that.
 */
final class ConsoleProcesses implements AutoCloseable {
    private static final long LIFETIME_LIMIT_SECONDS = 300;

    private final Path script;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();
    private final Thread reaper = new Thread(this::destroyAll, "webconsole-it-reaper");

    ConsoleProcesses(Path script) throws IOException {
        this.script = script;
        this.workDir = Files.createTempDirectory("mpchannel-webconsole-it-");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** The directory the channels' sockets go into. */
    Path socketDir() throws IOException {
        return Files.createDirectories(workDir.resolve("sock"));
    }

    /**
     * Starts {@code mpchannel.sh --conf DIR [--console PORT]} with the files {@code configs} (name to content) in
     * DIR; {@code console} 0 for none.
     */
    Process start(String name, Map<String, String> configs, int console) throws IOException {
        Path conf = Files.createDirectories(workDir.resolve("conf-" + name));
        for (Map.Entry<String, String> file : configs.entrySet()) {
            Files.writeString(conf.resolve(file.getKey()), file.getValue());
        }
        List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL", Long.toString(LIFETIME_LIMIT_SECONDS),
                // --demo: the demo bundle whose actions and scenario move the counters the tab shows
                script.toString(), "--conf", conf.toString(), "--demo"));
        if (console > 0) {
            command.addAll(List.of("--console", Integer.toString(console)));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE); // not a TTY: Gogo stays silent, the JVM runs on
        // the Felix cache and the temp files in a dir this class removes (no cleanup watcher from the script)
        builder.environment().put("MPCHANNEL_RUN_DIR", Files.createDirectories(workDir.resolve("run-" + name))
                .toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** The pid of the JVM inside {@code timeout} (mpchannel.sh execs java): the process a primary sees as its peer. */
    static long jvmPid(Process process) throws InterruptedException {
        for (int i = 0; i < 200; i++) { // timeout forks right away; give it up to 10 s on a loaded machine
            var jvm = process.toHandle().children().findFirst();
            if (jvm.isPresent()) {
                return jvm.get().pid();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the process did not start its JVM");
    }

    /** Kills the JVM of {@code process} with SIGKILL and waits until it is gone. */
    static void kill(Process process) throws InterruptedException {
        ProcessHandle.of(jvmPid(process)).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
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
}
