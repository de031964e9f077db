package dev.mpchannel.bench.harness;

import java.util.List;

/**
 * How much each workload runs, per mode. Latency figures pool {@code reps x iters} samples after {@code warmup}
 * unmeasured round trips (the JIT needs them; the C baseline takes at most {@link #C_WARMUP}); throughput figures
 * are the median of {@code onewayReps} repetitions.
 *
 * @param large  "size:iterations" for the large-parameter round trips
 * @param fanout how many secondaries answer a primary's request, in the order they are added
 * @param scale  how many connected secondaries for the scale step (0: skip it)
 * @param warmupSeconds the most any one warm-up of the mpchannel driver may take (it mostly bounds the fan-out
 *                      warm-up: each new secondary framework's code is compiled by the JIT on its own)
 * @param jitQuietSeconds the most a warm-up waits, after its count, for the driver's JIT to go quiet (0 in smoke
 *                        runs, whose figures mean nothing: a JIT that is still busy with everything never is)
 */
record Spec(String mode, int warmup, int iters, int reps, List<Integer> sizes, int onewayCount, int onewayReps,
        List<String> large, List<Integer> fanout, int fanoutWarmup, int fanoutIters, int scale, int scaleWarmup,
        int scaleIters, int warmupSeconds, int jitQuietSeconds) {

    /** C has no JIT to wait for: its warm-up only settles caches and the scheduler. */
    static final int C_WARMUP = 5_000;

    static Spec of(String mode) {
        return switch (mode) {
            case "smoke" -> new Spec(mode, 200, 100, 2, List.of(64, 1024), 2_000, 2,
                    List.of("65536:5", "1048576:3", "16777216:2"), List.of(1, 2, 3), 20, 20, 12, 2, 5, 5, 0);
            // 150,000 warm-up round trips: on one shared core the JIT's compiles of mpchannel's paths take seconds
            case "quick" -> new Spec(mode, 150_000, 4_000, 5, List.of(64, 1024), 50_000, 5,
                    List.of("65536:300", "1048576:30", "16777216:5"), List.of(1, 4, 16, 64), 10_000, 300, 1000, 10, 50, 5,
                    30);
            case "full" -> new Spec(mode, 300_000, 20_000, 10, List.of(64, 1024), 500_000, 10,
                    List.of("65536:5000", "1048576:500", "16777216:40"), List.of(1, 4, 16, 64), 30_000, 3_000, 1000, 50,
                    300, 60, 60);
            default -> throw new IllegalArgumentException("mode must be smoke, quick or full, not '" + mode + "'");
        };
    }

    /** The arguments the Java baselines' clients take (see {@link PingPong}, {@link GrpcBench}). */
    List<String> clientArgs() {
        return List.of(Integer.toString(warmup), Integer.toString(iters * reps), join(sizes),
                onewayCount + ":" + onewayReps, String.join(",", large));
    }

    /** The system properties the mpchannel driver in the primary takes (mpbench.*, see the bench bundle). */
    List<String> driverOptions() {
        return List.of(
                "-Dmpbench.warmup=" + warmup,
                "-Dmpbench.iters=" + iters,
                "-Dmpbench.reps=" + reps,
                "-Dmpbench.sizes=" + join(sizes),
                "-Dmpbench.oneway.count=" + onewayCount,
                "-Dmpbench.oneway.reps=" + onewayReps,
                "-Dmpbench.large=" + String.join(",", large),
                "-Dmpbench.fanout=" + join(fanout),
                "-Dmpbench.fanout.warmup=" + fanoutWarmup,
                "-Dmpbench.fanout.iters=" + fanoutIters,
                "-Dmpbench.scale=" + scale,
                "-Dmpbench.scale.warmup=" + scaleWarmup,
                "-Dmpbench.scale.iters=" + scaleIters,
                "-Dmpbench.warmup.seconds=" + warmupSeconds,
                "-Dmpbench.jit.quiet.seconds=" + jitQuietSeconds);
    }

    static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
