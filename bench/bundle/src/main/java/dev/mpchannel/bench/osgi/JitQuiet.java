package dev.mpchannel.bench.osgi;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Tells a warm-up when this JVM's JIT has gone quiet: its total compilation time has not grown for a while, or a
 * limit has passed. Where the JVM does not report compilation time, it is quiet at once.
 */
final class JitQuiet {
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final long quietNanos;
    private final long giveUp;
    private long compiled = -1;
    private long since;

    /** @param quiet how long no compilation must have happened; @param most when to stop waiting for it */
    JitQuiet(Duration quiet, Duration most) {
        this.quietNanos = quiet.toNanos();
        this.giveUp = System.nanoTime() + most.toNanos();
    }

    /** Whether the JIT has compiled nothing for the quiet time, or the limit has passed; cheap enough per step. */
    boolean reached() {
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return true;
        }
        long now = System.nanoTime();
        long total = jit.getTotalCompilationTime();
        if (total != compiled) {
            compiled = total;
            since = now;
        }
        return now - since >= quietNanos || now - giveUp >= 0;
    }
}
