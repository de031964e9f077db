package dev.mpchannel.bench.rings;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Role;
import dev.mpchannel.rings.Idle;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.internal.InProcessPairs;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The rings' workloads: a pair's two sides in two threads. */
final class RingRuns {
    /** Each task on a thread of its own: the common pool may have a single thread (2 CPUs), and these tasks block. */
    private static final Executor OWN_THREAD = task -> new Thread(task).start();
    private static final int RECORD = 64;
    private static final int MIB = 1 << 20;

    private RingRuns() {
    }

    /** Ping writes a stamp into one ring, pong writes it back through the other; both wait with {@code idle}. */
    static RingsBench.Latency roundTrip(Idle idle, int rounds) throws Exception {
        RingPair[] pair = InProcessPairs.open("bench", RingOptions.duplex(1 << 16), SELF);
        CompletableFuture<Void> pong = CompletableFuture.runAsync(() -> pong(pair[1], idle), OWN_THREAD);
        try {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
            int warmUp = rounds / 5;
            long[] nanos = new long[rounds];
            for (int i = -warmUp; i < rounds; i++) {
                long start = System.nanoTime();
                record.putLong(0, start);
                while (!pair[0].writer().offer(record)) {
                    Thread.onSpinWait();
                }
                pair[0].reader().receive(echo -> { }, 1, idle);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            return RingsBench.Latency.of(nanos);
        } finally {
            pair[0].close();
            pong.get(30, TimeUnit.SECONDS);
        }
    }

    private static void pong(RingPair side, Idle idle) {
        try {
            while (true) {
                side.reader().receive(record -> offer(side, record), 16, idle);
            }
        } catch (RingClosedException e) {
            // the run is over
        }
    }

    private static void offer(RingPair side, ByteBuffer record) {
        try {
            while (!side.writer().offer(record)) {
                Thread.onSpinWait();
            }
        } catch (RingClosedException e) {
            // the next receive says so
        }
    }

    /** A writer thread streams {@code records} records of 64 B; this thread reads them with {@code idle}. */
    static double oneWay(Idle idle, int records) throws Exception {
        RingPair[] pair = InProcessPairs.open("bench", RingOptions.toPeer(1 << 20), SELF);
        try {
            long[] read = {0};
            long start = System.nanoTime();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(
                    () -> stream(pair[0], records, RECORD), OWN_THREAD);
            while (read[0] < records) {
                pair[1].reader().receive(record -> read[0]++, 1024, idle);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            writer.get(30, TimeUnit.SECONDS);
            return records / seconds;
        } finally {
            pair[0].close();
        }
    }

    private static void stream(RingPair side, int records, int size) {
        ByteBuffer record = ByteBuffer.allocateDirect(size);
        try {
            for (int i = 0; i < records; i++) {
                record.putLong(0, i);
                while (!side.writer().offer(record)) {
                    Thread.onSpinWait();
                }
            }
        } catch (RingClosedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Nanoseconds per 1 MiB record streamed through a 16 MiB ring, the reader copying it out or reading it in place. */
    static double largeNanos(int records, boolean copyOut) throws Exception {
        RingPair[] pair = InProcessPairs.open("bench", RingOptions.toPeer(16 * MIB), SELF);
        try {
            ByteBuffer destination = ByteBuffer.allocateDirect(MIB);
            long[] read = {0};
            long[] sum = {0};
            int warmUp = Math.max(1, records / 5);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(
                    () -> stream(pair[0], warmUp + records, MIB), OWN_THREAD);
            long start = 0;
            while (read[0] < warmUp + records) {
                if (read[0] == warmUp) {
                    start = System.nanoTime();
                }
                pair[1].reader().receive(record -> {
                    if (copyOut) {
                        destination.clear();
                        destination.put(record);
                    } else {
                        for (int at = record.position(); at < record.limit() - 8; at += 4096) {
                            sum[0] += record.getLong(at);
                        }
                    }
                    read[0]++;
                }, 1, Idle.BUSY_SPIN);
            }
            double nanos = (System.nanoTime() - start) / (double) records;
            writer.get(30, TimeUnit.SECONDS);
            return nanos + (sum[0] == 42 ? 1e-9 : 0);
        } finally {
            pair[0].close();
        }
    }

    /**
     * Records per second through a ring written and read by the same thread (offer one, poll it): the software's own
     * cost per record, without the scheduler of a shared machine in between.
     */
    static double oneThread(int records, int size) throws Exception {
        RingPair[] pair = InProcessPairs.open("bench", RingOptions.toPeer(size > 4096 ? 16 * MIB : 1 << 20), SELF);
        try {
            ByteBuffer record = ByteBuffer.allocateDirect(size);
            long[] sum = {0};
            int warmUp = records / 5 + 1;
            long start = 0;
            for (int i = -warmUp; i < records; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                }
                record.putLong(0, i);
                RingsBench.check(pair[0].writer().offer(record), "a ring written and read in turn is never full");
                pair[1].reader().poll(view -> sum[0] += view.getLong(view.position()), 1);
            }
            return records / ((System.nanoTime() - start) / 1e9) + (sum[0] == 42 ? 1e-9 : 0);
        } finally {
            pair[0].close();
        }
    }

    /**
     * Nanoseconds per copy of 1 MiB from a direct buffer into the next 1 MiB of a 16 MiB one, in one thread: the same
     * memory footprint as a 16 MiB ring (a copy between two buffers that stay in the cache would be faster than any
     * ring of that size can be).
     */
    static double memcpyNanos(int copies) {
        ByteBuffer source = ByteBuffer.allocateDirect(MIB);
        ByteBuffer destination = ByteBuffer.allocateDirect(16 * MIB);
        for (int i = 0; i < 16; i++) {
            destination.put(i * MIB, source, 0, MIB);
        }
        long start = System.nanoTime();
        for (int i = 0; i < copies; i++) {
            destination.put((i & 15) * MIB, source, 0, MIB);
        }
        return (System.nanoTime() - start) / (double) copies;
    }

    /** Both sides of an in-process pair report this process as their peer. */
    private static final Peer SELF = new Peer() {
        private final Instant since = Instant.now();

        @Override
        public String channel() {
            return "in-process";
        }

        @Override
        public long id() {
            return 0;
        }

        @Override
        public Role role() {
            return Role.PRIMARY;
        }

        @Override
        public long pid() {
            return ProcessHandle.current().pid();
        }

        @Override
        public long uid() {
            return 0;
        }

        @Override
        public long gid() {
            return 0;
        }

        @Override
        public Instant connectedSince() {
            return since;
        }
    };
}
