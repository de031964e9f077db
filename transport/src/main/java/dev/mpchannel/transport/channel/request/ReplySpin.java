package dev.mpchannel.transport.channel.request;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * The caller of a blocking request spins a little for its reply before it sleeps ({@code request.spin.us}).
 * <p>
 * A reply from a quick action comes within microseconds. A caller that sleeps for it costs two context switches
 * (going to sleep, and being woken by the reader thread that read the reply), a large part of such a round trip;
 * one that spins sees the reply the moment the reader thread records it. The spin is bounded and adapts: a spin that
 * ends without the reply makes the next requests sleep at once, for twice as many requests after each miss (up to
 * 64), so a channel whose replies are slow stops spending CPU on it; one that catches its reply starts over.
 * With one CPU it never spins: the spinning thread would only hold up the threads that are to answer it.
 */
public final class ReplySpin {
    private static final int MOST_SKIPPED = 64;

    private final long spinNanos;
    // A heuristic shared by the channel's callers: racy updates only shift when the next spin happens.
    private volatile int skipNext;
    private volatile int skipAfterMiss = 1;

    ReplySpin(Duration spin) {
        this.spinNanos = Runtime.getRuntime().availableProcessors() > 1 ? spin.toNanos() : 0;
    }

    /** Spins until {@code result} is done or the spin is over; returns either way (the caller then waits as usual). */
    void spinFor(Future<?> result) {
        if (spinNanos == 0 || result.isDone()) {
            return;
        }
        if (skipNext > 0) {
            skipNext--;
            return;
        }
        long start = System.nanoTime();
        while (!result.isDone()) {
            if (System.nanoTime() - start > spinNanos) {
                skipNext = skipAfterMiss;
                skipAfterMiss = Math.min(MOST_SKIPPED, skipAfterMiss * 2);
                return;
            }
            Thread.onSpinWait();
        }
        skipAfterMiss = 1;
    }
}
