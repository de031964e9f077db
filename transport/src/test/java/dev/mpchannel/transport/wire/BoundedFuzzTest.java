package dev.mpchannel.transport.wire;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every fuzz test of this module shares: how long Jazzer fuzzes it, set from outside with the system property
 * {@value #DURATION} (each fuzz test runs that long; {@code mvn verify} passes it, 10 s by default) and, optionally,
 * {@value #RUNS} (at most that many executions).
 * <p>
 * Jazzer 0.24.0 takes the duration from {@code @FuzzTest(maxDuration)} only, a compile-time constant that it hands to
 * libFuzzer as {@code -max_total_time}; it reads no property for it (a {@code jazzer.max_duration} property is
 * ignored). The one way in from outside is the JUnit configuration parameters {@code jazzer.internal.arg.N}
 * ({@code N = 0} is argv[0]): Jazzer appends them to libFuzzer's arguments after the annotation's, and libFuzzer takes
 * the last value of a flag. JUnit reads configuration parameters from system properties when asked, and Jazzer asks
 * after the test class's {@code @BeforeAll} methods ran, so this sets them there. (Jazzer's maintainers point to these
 * parameters for this in jazzer#951; a dedicated option is proposed in jazzer#956.) Without {@value #DURATION} (an IDE
 * run with {@code JAZZER_FUZZ=1}), the annotation's {@code maxDuration} holds.
 * <p>
 * Jazzer fuzzes one fuzz test per JVM: each subclass has exactly one {@code @FuzzTest}, and surefire runs each class
 * in a JVM of its own.
 */
public abstract class BoundedFuzzTest {
    /** How long each fuzz test fuzzes: {@code 90} (seconds), {@code 30s}, {@code 2m}, {@code 1h}, {@code 1m30s}. */
    public static final String DURATION = "fuzz.duration";
    /** At most this many executions of each fuzz test (libFuzzer's {@code -runs}); unset or 0: only the time. */
    public static final String RUNS = "fuzz.runs";

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    protected BoundedFuzzTest() {
    }

    @BeforeAll
    protected static void fuzzForTheConfiguredTime() {
        String duration = System.getProperty(DURATION, "").strip();
        String runs = System.getProperty(RUNS, "").strip();
        int arg = 0;
        if (!duration.isEmpty() || !runs.isEmpty()) {
            System.setProperty("jazzer.internal.arg." + arg++, "jazzer");
        }
        if (!duration.isEmpty()) {
            System.setProperty("jazzer.internal.arg." + arg++, "-max_total_time=" + seconds(duration));
        }
        if (!runs.isEmpty() && Long.parseLong(runs) > 0) {
            System.setProperty("jazzer.internal.arg." + arg++, "-runs=" + Long.parseLong(runs));
        }
    }

    /** The duration in whole seconds, at least 1. */
    public static long seconds(String duration) {
        long seconds;
        if (duration.isEmpty()) {
            throw badDuration(duration);
        } else if (duration.chars().allMatch(Character::isDigit)) {
            seconds = Long.parseLong(duration);
        } else if (duration.startsWith("P") || duration.startsWith("p")) {
            try {
                seconds = Duration.parse(duration).toSeconds();
            } catch (DateTimeParseException e) {
                throw badDuration(duration);
            }
        } else {
            Matcher m = UNITS.matcher(duration);
            if (!m.matches()) {
                throw badDuration(duration);
            }
            seconds = 3600 * number(m.group(1)) + 60 * number(m.group(2)) + number(m.group(3));
        }
        if (seconds < 1) {
            throw badDuration(duration);
        }
        return seconds;
    }

    /**
     * Tells whether what a piece of code allocated is its own: the first executions load, link and initialise classes
     * (the JDK's, and Jazzer instruments each class as it loads, in the loading thread), which allocates megabytes,
     * and so does any execution that reaches a path for the first time. Allocation is counted only once a thousand
     * executions went by (a regression run of a few inputs is never warm) and only when no class was loaded in
     * between.
     */
    public static final class Allocations {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
        private int executions;
        private long bytes;
        private long classes;

        /** Starts counting on this thread. */
        public void start() {
            classes = CLASSES.getTotalLoadedClassCount();
            bytes = THREADS.getCurrentThreadAllocatedBytes();
        }

        /**
         * What this thread allocated since {@link #start()}, or -1 if that cannot be told from class loading.
         */
        public long allocated() {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - bytes;
            boolean warm = ++executions > 1000;
            return warm && CLASSES.getTotalLoadedClassCount() == classes ? allocated : -1;
        }
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    private static IllegalArgumentException badDuration(String duration) {
        return new IllegalArgumentException(DURATION + " must be a positive duration such as 90 (seconds), 30s, 2m, "
                + "1h, 1m30s or PT2M, not '" + duration + "'");
    }
}
