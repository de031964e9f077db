package dev.mpchannel.bench.peerstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both owners of the per-peer state keep its promises under real threads: every action runs once, one at a time, in
 * the order read, while reads mix actions for the reading thread and for the pool, the queue fills past its depth,
 * actions hand the reading off themselves and a watch hands off the ones that wait. A benchmark of a variant that
 * lost or reordered actions would measure nothing.
 */
class PeerStateVariantsTest {
    private static final int READS = 20_000;

    private final AtomicInteger nextRead = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger ran = new AtomicInteger();
    private final AtomicInteger handOffs = new AtomicInteger();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final Queue<Thread> readers = new ConcurrentLinkedQueue<>();
    private int expected; // touched by the actions only: serial, so no lock
    private int queued; // actions read so far, by whichever thread reads

    @ParameterizedTest
    @ValueSource(strings = {"lock", "word"})
    void everyActionRunsOnceInOrderThroughHandOffsAndBackpressure(String variant) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        PeerStateModel[] holder = new PeerStateModel[1];
        PeerStateModel state = PeerStateModel.of(variant, pool, 4, () -> readerThread(holder[0]), t -> {
            handOffs.incrementAndGet();
            t.start();
        }, () -> 0, 0);
        holder[0] = state;
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                state.handOffIfRunningLongerThan(50_000, 2_000_000, System.nanoTime());
                LockSupport.parkNanos(20_000);
            }
        }, "watch");
        Thread first = readerThread(state);
        try {
            state.startReading(first);
            watch.start();
            first.start();
            int total = awaitTotal();
            await(() -> ran.get() == total && readers.stream().noneMatch(Thread::isAlive));
        } finally {
            watch.interrupt();
            watch.join(5_000);
            state.close();
            for (Thread t : readers) {
                t.join(5_000);
            }
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(expected, ran.get());
        assertTrue(handOffs.get() > 0, "no hand-off happened");
    }

    private Thread readerThread(PeerStateModel state) {
        Thread t = new Thread(() -> read(state), "reader");
        readers.add(t);
        return t;
    }

    /** The reading loop of one reader thread: reads until the reads run out or the reading is handed off. */
    private void read(PeerStateModel state) {
        Thread me = Thread.currentThread();
        int r;
        while (state.reads(me) && (r = nextRead.getAndIncrement()) < READS) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i <= r % 3; i++) {
                jobs.add(job(state, queued++));
            }
            state.dispatch(jobs);
        }
    }

    private Job job(PeerStateModel state, int seq) {
        return new Job(() -> {
            if (running.getAndIncrement() != 0) {
                errors.add("action " + seq + " ran alongside another");
            }
            if (seq != expected) {
                errors.add("action " + seq + " ran when " + expected + " was due");
            }
            expected = seq + 1;
            if (seq % 997 == 0) {
                state.handOffFrom(Thread.currentThread()); // as a blocking request does
                LockSupport.parkNanos(200_000);
            } else if (seq % 499 == 0) {
                LockSupport.parkNanos(300_000); // long enough for the watch
            }
            running.decrementAndGet();
            ran.incrementAndGet();
        }, seq % 5 != 0);
    }

    private int awaitTotal() throws InterruptedException {
        await(() -> nextRead.get() >= READS && readers.stream().noneMatch(Thread::isAlive));
        int total = 0;
        for (int r = 0; r < READS; r++) {
            total += r % 3 + 1;
        }
        return total;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not done within 60 s");
            Thread.sleep(5);
        }
    }
}
