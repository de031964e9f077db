package dev.mpchannel.itests.karaf;

import static org.junit.Assert.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * What one Karaf test class leaves behind, and how it is cleaned up however the run ends: a short private scratch
 * directory (a socket path must fit in 107 bytes) that the test JVM deletes when it exits, after killing Karaf and
 * whatever Karaf started; and, inside Karaf, the same once the test JVM is gone (killed outright, Pax Exam is not
 * there to stop Karaf). The test JVM tells Karaf its pid and the directory as system properties.
 */
final class KarafRun {
    static final String DRIVER_PID = "mpchannel.itest.driver.pid";
    static final String SCRATCH = "mpchannel.itest.scratch";
    private static final AtomicBoolean WATCHING_THE_DRIVER = new AtomicBoolean();

    private KarafRun() {
    }

    /** In the test JVM: a new scratch directory named {@code prefix...}, deleted when this JVM ends. */
    static Path scratch(String prefix) throws IOException {
        Path scratch = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> killDescendantsAndDelete(scratch), "itest-karaf-cleanup"));
        return scratch;
    }

    /** Inside Karaf, once: when the test JVM ends, kill what Karaf started, delete the scratch directory, and exit. */
    static void endWhenTheTestJvmIsGone() {
        if (WATCHING_THE_DRIVER.compareAndSet(false, true)) {
            Path scratch = Path.of(property(SCRATCH));
            Runnable exit = () -> new Thread(() -> {
                killDescendantsAndDelete(scratch);
                System.exit(3);
            }, "itest-karaf-orphaned").start();
            ProcessHandle.of(Long.parseLong(property(DRIVER_PID)))
                    .ifPresentOrElse(driver -> driver.onExit().thenRun(exit), exit);
        }
    }

    /** Inside Karaf: a system property the test JVM set, or an assertion failure. */
    static String property(String name) {
        String value = System.getProperty(name);
        assertNotNull("system property " + name + " is not set", value);
        return value;
    }

    /** In the test JVM: a system property the pom sets. */
    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return value;
    }

    /** Kills every process this JVM started (and theirs), waits for them to end, then deletes {@code root}. */
    private static void killDescendantsAndDelete(Path root) {
        List<ProcessHandle> descendants = ProcessHandle.current().descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : descendants) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // go on: delete what can be deleted
            }
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at JVM exit
        }
    }
}
