package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every process the harness starts, so that all of them (and what they forked) are stopped, whatever happens:
 * {@link #stopAll} on the normal path, and a JVM shutdown hook for Ctrl-C / SIGTERM. Each process writes stdout and
 * stderr to its own log file in the run's work directory.
 */
public final class Procs implements AutoCloseable {
    /** A started process and its log. */
    public record Proc(String name, Process process, Path log) {
        boolean alive() {
            return process.isAlive();
        }

        /** The RESULT lines it printed. */
        public List<Result> results() throws IOException {
            return Result.read(log);
        }

        public String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.startsWith("SAMPLES ") && !l.startsWith("HIST ")).toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        boolean logContains(String text) {
            return logCount(text) > 0;
        }

        /** How many lines of its log start with {@code text}, or contain it if it is not a line start. */
        int logCount(String text) {
            try {
                String all = Files.readString(log, StandardCharsets.UTF_8);
                int count = 0;
                for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + text.length())) {
                    count++;
                }
                return count;
            } catch (IOException e) {
                return 0;
            }
        }

        /** Sends one line to its stdin (an interactive process). */
        void tell(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
    }

    private final Path logs;
    private final List<Proc> running = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "mpbench-stop-processes");
    private int started;

    Procs(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public synchronized Proc start(String name, List<String> command) throws IOException {
        return start(name, command, java.util.Map.of(), false);
    }

    /**
     * A process with extra environment variables; {@code interactive}: its stdin is a pipe
     * ({@code process().getOutputStream()}) instead of /dev/null.
     */
    synchronized Proc start(String name, List<String> command, java.util.Map<String, String> env, boolean interactive)
            throws IOException {
        Path log = logs.resolve(String.format("%03d-%s.log", ++started, name));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(interactive ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Proc proc = new Proc(name, builder.start(), log);
        running.add(proc);
        return proc;
    }

    /** Waits for a process to end by itself; fails with its log's tail if it does not in time or fails. */
    public Proc await(Proc proc, long seconds) throws IOException, InterruptedException {
        if (!proc.process().waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IOException(proc.name() + " did not finish within " + seconds + " s:\n" + proc.tail());
        }
        if (proc.process().exitValue() != 0) {
            throw new IOException(proc.name() + " failed (exit " + proc.process().exitValue() + "):\n" + proc.tail());
        }
        return proc;
    }

    /** Waits until a process has printed {@code text} (e.g. that it listens). */
    public void awaitLog(Proc proc, String text, long seconds) throws IOException, InterruptedException {
        awaitLog(proc, text, 1, seconds);
    }

    /** Waits until a process has printed {@code text} {@code times} times (e.g. its n-th answer). */
    void awaitLog(Proc proc, String text, int times, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (proc.logCount(text) < times) {
            if (!proc.alive()) {
                throw new IOException(proc.name() + " ended before it said '" + text + "':\n" + proc.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(proc.name() + " did not say '" + text + "' within " + seconds + " s:\n"
                        + proc.tail());
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM to every process still running and its descendants, SIGKILL after 5 s to whatever is left. */
    synchronized void stopAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Proc proc : running) {
            proc.process().descendants().forEach(all::add);
            all.add(proc.process().toHandle());
        }
        running.clear();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle handle : all) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }
}
