package dev.mpchannel.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Waiting in tests for an event rather than for a time: a condition is polled until it holds or a deadline passes.
 * The deadline is only reached if the behaviour under test is broken, so a loaded machine is slow, never wrong.
 */
public final class Await {
    /** How long a condition is polled before the test fails. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    /** Something a test observes, which may throw (reading /proc, say). */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    private Await() {
    }

    /** Polls {@code condition} until it is true; fails, saying what was awaited, if it is not by the deadline. */
    public static void until(String what, Probe<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Polls {@code probe} until it yields {@code expected}, or the deadline passes, and returns the last value seen:
     * the caller asserts it, so a failure reads as the assertion it is.
     */
    public static <T> T value(Probe<T> probe, T expected) throws Exception {
        return value(probe, expected, DEADLINE);
    }

    /** As {@link #value(Probe, Object)}, with a deadline of its own (for a test whose size is configurable). */
    public static <T> T value(Probe<T> probe, T expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        T value = probe.get();
        while (!Objects.equals(expected, value) && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            value = probe.get();
        }
        return value;
    }
}
