package dev.mpchannel.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * How the added secondaries (and the gRPC servers that match them) are spread over JVMs: a few dozen Felix
 * frameworks or a few hundred raw-protocol connections per JVM keep the process count, and the load on 2 cores,
 * low.
 */
final class FanoutHosts {
    /** Secondaries per FrameworkHost JVM, and raw-protocol secondaries per RawSecondaries JVM. */
    static final int FRAMEWORKS_PER_HOST = 24;
    static final int RAW_PER_PROCESS = 250;

    private FanoutHosts() {
    }

    /** Splits n into parts of at most max. */
    static List<Integer> chunks(int n, int max) {
        List<Integer> parts = new ArrayList<>();
        for (int left = n; left > 0; left -= max) {
            parts.add(Math.min(left, max));
        }
        return parts;
    }

    /**
     * How many secondaries (or gRPC servers) each extra JVM of the fan-out holds: each step's additions split into
     * JVMs of at most 24 (for 1, 4, 16, 64: 3, 12, 24, 24). The first one is the JVM that served the round trips.
     */
    static List<Integer> sizes(Spec spec) {
        List<Integer> sizes = new ArrayList<>();
        int have = 1;
        for (int n : spec.fanout()) {
            sizes.addAll(chunks(n - have, FRAMEWORKS_PER_HOST));
            have = Math.max(have, n);
        }
        return sizes;
    }
}
