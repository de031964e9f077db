package dev.mpchannel.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command run under a small {@code sh} wrapper that kills it once this JVM is gone, however this JVM ends: the
 * wrapper's watcher waits for end-of-file on its stdin, a pipe whose only writer is this JVM, so SIGKILL of this JVM
 * reaches the command too, which no shutdown hook could. Its output (stdout and stderr) goes to a log file, line by
 * line, and every line wakes the threads that wait for one.
 */
final class WatchedProcess {
    private static final String PID_MARK = "mpchannel-testkit: pid ";
    // fd 3 keeps the pipe for the watcher: a background job's stdin is /dev/null in a non-interactive shell. The
    // shell reaps the command before it kills the watcher, so the watcher never signals a reused pid.
    private static final String WRAPPER = String.join("\n",
            "exec 3<&0",
            "\"$@\" </dev/null 3<&- 2>&1 &",
            "command=$!",
            "echo \"" + PID_MARK + "$command\"",
            "( read -r _ <&3; kill -9 $command 2>/dev/null ) </dev/null &",
            "watcher=$!",
            "exec 3<&-",
            "wait $command",
            "code=$?",
            "kill $watcher 2>/dev/null",
            "exit $code");

    private final Process wrapper;
    private final Path log;
    private final Thread pump;
    private ProcessHandle command; // guarded by this
    private boolean ended; // guarded by this: the output reached its end
    private long lines; // guarded by this

    private WatchedProcess(Process wrapper, Path log, String name) {
        this.wrapper = wrapper;
        this.log = log;
        this.pump = new Thread(this::pumpOutput, "testkit-log-" + name);
        pump.setDaemon(true);
    }

    /** Starts {@code command}, its output appended to {@code log}. */
    static WatchedProcess start(List<String> command, Path log, String name) throws IOException {
        List<String> all = new ArrayList<>(List.of("sh", "-c", WRAPPER, "sh"));
        all.addAll(command);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "");
        Process wrapper = new ProcessBuilder(all).redirectErrorStream(true).start();
        WatchedProcess process = new WatchedProcess(wrapper, log, name);
        process.pump.start();
        return process;
    }

    /** The command's process, once the wrapper has said its pid. */
    synchronized ProcessHandle command(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (command == null && !ended && System.nanoTime() - deadline < 0) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        if (command == null) {
            throw new IllegalStateException("the process did not start (" + (ended ? "its wrapper ended" : "no pid after "
                    + timeout.toSeconds() + " s") + "); its output:\n" + log());
        }
        return command;
    }

    /**
     * Waits until {@code condition} holds for the whole log, tested again after every new line; fails with the log
     * when the process ends first or the timeout passes.
     */
    void awaitLog(Predicate<String> condition, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = -1;
        while (true) {
            synchronized (this) {
                while (lines == seen && !ended && System.nanoTime() - deadline < 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
                }
                seen = lines;
            }
            String text = log();
            if (condition.test(text)) {
                return;
            }
            boolean over;
            synchronized (this) {
                over = ended && lines == seen;
            }
            if (over || System.nanoTime() - deadline >= 0) {
                throw new AssertionError(what + ": not in the log " + (over ? "before the process ended (exit code "
                        + exitCode() + ")" : "within " + timeout.toMillis() + " ms") + "; log " + log + ":\n" + text);
            }
        }
    }

    /** The log so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    Path logFile() {
        return log;
    }

    boolean isAlive() {
        return wrapper.isAlive();
    }

    /** SIGTERM to the command, SIGKILL after {@code grace}; returns once the wrapper has ended. */
    void stop(Duration grace) throws InterruptedException {
        signal(false);
        if (!wrapper.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            signal(true);
        }
        end();
    }

    /** SIGKILL to the command (no shutdown of any kind); returns once the wrapper has ended. */
    void kill() throws InterruptedException {
        signal(true);
        end();
    }

    private void signal(boolean kill) {
        ProcessHandle target;
        synchronized (this) {
            target = command;
        }
        if (target == null) {
            // not started far enough to say its pid: ending the watcher's pipe ends the command as soon as it exists
            closeStdin();
        } else if (kill) {
            target.destroyForcibly(); // a ProcessHandle checks the start time: never a reused pid
        } else {
            target.destroy();
        }
    }

    private void end() throws InterruptedException {
        if (!wrapper.waitFor(30, TimeUnit.SECONDS)) {
            signal(true);
            closeStdin();
            wrapper.destroyForcibly();
            wrapper.waitFor(30, TimeUnit.SECONDS);
        }
        closeStdin(); // ends the watcher, if the wrapper's kill has not
        pump.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void closeStdin() {
        try {
            wrapper.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The command's exit code, as the wrapper passes it on; throws IllegalThreadStateException while it runs. */
    int exitValue() {
        return wrapper.exitValue();
    }

    /** Its output ended: it exits a moment later (the pipe closes before the process is reaped), so wait a little. */
    private String exitCode() {
        try {
            if (wrapper.waitFor(5, TimeUnit.SECONDS)) {
                return Integer.toString(wrapper.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "not yet";
    }

    private void pumpOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(wrapper.getInputStream(),
                StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(PID_MARK)) {
                    ProcessHandle handle = ProcessHandle.of(Long.parseLong(line.substring(PID_MARK.length()).trim()))
                            .orElse(null);
                    synchronized (this) {
                        command = handle;
                        notifyAll();
                    }
                    continue;
                }
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (this) {
                    lines++;
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the pipe broke: the process is gone; waiters see the end below
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }
}
