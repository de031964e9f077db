package dev.mpchannel.bench.harness.handoff;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a caller waits for what another thread makes true (its reply is in, the reader stepped aside): it spins up to
 * 50 µs first when it may ({@code spin} and more than one CPU, as mpchannel's callers do), then parks until
 * {@link #signal}ed. The condition is volatile state set before {@link #signal}, and the parked thread is published
 * before the condition is checked again, so a signal between the check and the park is not lost.
 */
final class ReplySignal {
    static final long SPIN_NANOS = 50_000;

    private final long spinNanos;
    private volatile Thread parked;

    ReplySignal(boolean spin) {
        this.spinNanos = spinNanos(spin);
    }

    /** How long a caller that may spin does: {@link #SPIN_NANOS} with more than one CPU, else 0. */
    static long spinNanos(boolean spin) {
        // with one CPU (a pinned pass: the JVM counts the CPUs it may run on) a spinner only holds up the responder
        return spin && Runtime.getRuntime().availableProcessors() > 1 ? SPIN_NANOS : 0;
    }

    void await(BooleanSupplier done, String what) throws IOException {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > spinNanos) {
                park(done, start + Requester.TIMEOUT_NANOS, what);
                return;
            }
            Thread.onSpinWait();
        }
    }

    private void park(BooleanSupplier done, long deadline, String what) throws IOException {
        parked = Thread.currentThread();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no " + what + " within " + Requester.TIMEOUT_NANOS / 1_000_000 + " ms");
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            parked = null;
        }
    }

    /** Wakes the caller if it is parked; called after the condition was made true. */
    void signal() {
        Thread waiter = parked;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }
}
