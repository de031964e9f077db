package dev.mpchannel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: the wrapper's watcher, its log and its signals. */
class WatchedProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theCommandDiesWithTheJvmThatStartedItEvenBySigkill() throws Exception {
        // a JVM of its own starts a watched sleeper, says its pid and waits; it is then killed with SIGKILL, which
        // no shutdown hook of it survives
        Process starter = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SleeperStarter.class.getName(),
                dir.resolve("sleeper.log").toString()).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(starter.getInputStream())).readLine();
            assertTrue(line != null && line.startsWith("sleeper "), "the starter said: " + line);
            ProcessHandle sleeper = ProcessHandle.of(Long.parseLong(line.substring("sleeper ".length()))).orElseThrow();
            assertTrue(sleeper.isAlive());

            starter.toHandle().destroyForcibly();
            sleeper.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS); // fails with a TimeoutException if it lives on
            assertFalse(sleeper.isAlive());
        } finally {
            starter.descendants().forEach(ProcessHandle::destroyForcibly);
            starter.destroyForcibly();
        }
    }

    @Test
    void waitingForALineFailsWithTheLogAsSoonAsTheProcessEnds() throws Exception {
        WatchedProcess process = WatchedProcess.start(List.of("sh", "-c", "echo hello; exit 3"),
                dir.resolve("ends.log"), "ends");
        long started = System.nanoTime();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> process.awaitLog(log -> log.contains("never"), "never", Duration.ofMinutes(10)));
        assertTrue(System.nanoTime() - started < Duration.ofMinutes(5).toNanos(), "waited out the timeout");
        assertTrue(failure.getMessage().contains("hello"), failure.getMessage());
        assertTrue(failure.getMessage().contains("exit code 3"), failure.getMessage());
        process.kill();
    }

    @Test
    void stopAsksTheCommandToEndWithSigterm() throws Exception {
        WatchedProcess process = WatchedProcess.start(List.of("sh", "-c",
                "trap 'echo got TERM; exit 0' TERM; echo ready; while :; do sleep 0.1; done"),
                dir.resolve("term.log"), "term");
        process.awaitLog(log -> log.contains("ready"), "ready", TIMEOUT);
        ProcessHandle command = process.command(TIMEOUT);
        process.stop(TIMEOUT);
        assertFalse(command.isAlive());
        assertFalse(process.isAlive());
        assertEquals("ready\ngot TERM\n", Files.readString(process.logFile()));
    }

    @Test
    void killEndsACommandThatIgnoresSigterm() throws Exception {
        WatchedProcess process = WatchedProcess.start(List.of("sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.1; done"), dir.resolve("stubborn.log"), "stubborn");
        process.awaitLog(log -> log.contains("ready"), "ready", TIMEOUT);
        ProcessHandle command = process.command(TIMEOUT);
        process.stop(Duration.ofMillis(200));
        assertFalse(command.isAlive());
        assertFalse(process.isAlive());
    }

    /** Starts a watched {@code sleep}, prints its pid and waits to be killed. */
    public static final class SleeperStarter {
        public static void main(String[] args) throws Exception {
            WatchedProcess sleeper = WatchedProcess.start(List.of("sleep", "600"), Path.of(args[0]), "sleeper");
            System.out.println("sleeper " + sleeper.command(TIMEOUT).pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
