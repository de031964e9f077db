package dev.mpchannel.transport.channel.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pastalab.fray.core.observers.TimelineCoverageType;
import org.pastalab.fray.core.randomness.ControlledRandomProvider;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.plain.FrayInTestLauncher;

/**
 * Controlled concurrency testing (Fray) of {@link PeerState} alone: readers that dispatch prepared reads, a watch and
 * an action that hand the reading off at any moment, the pool as a thread per drain, and the channel's close. Fray
 * explores the interleavings; the invariants: per-peer order, every action at most once and, once released, at least
 * once (no lost wake-up), no deadlock, and close ends a reader that waits for room while an action is blocked. Waits
 * are untimed here (a lost wake-up shows as a deadlock, not as a late recheck). {@code -Dfray.iterations=N} explores N
 * schedules per test instead of the bounded default.
 */
class PeerStateFrayTest {
    private static final int DEFAULT_ITERATIONS = 300;

    @Test
    void handOffsFromTheWatchAndFromABlockingActionKeepOrderAndRunEachOnce() {
        explore(() -> {
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(4);
            Peer peer = new Peer(8);
            List<List<PeerState.Job>> reads = List.of(
                    List.of(peer.job("0", true, ran, all, true)), // hands off itself, as a blocking request does
                    List.of(peer.job("1", true, ran, all, false), peer.job("2", false, ran, all, false)),
                    List.of(peer.job("3", true, ran, all, false)));
            peer.startReading(reads);
            Thread watch = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    peer.state.handOffIfRunningLongerThan(0, 0, Long.MAX_VALUE);
                }
            }, "watch");
            watch.start();
            await(all);
            join(watch);
            peer.joinAll();
            assertEquals(List.of("0", "1", "2", "3"), ran);
            assertEquals(PeerState.IDLE, peer.state.state());
        });
    }

    @Test
    void closeEndsAReaderWaitingForRoomWhileAnActionIsBlocked() {
        explore(() -> {
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(4);
            CountDownLatch release = new CountDownLatch(1);
            Peer peer = new Peer(1);
            Runnable blocked = () -> {
                await(release);
                ran.add("0");
                all.countDown();
            };
            List<List<PeerState.Job>> reads = List.of(List.of(new PeerState.Job(blocked, false)),
                    List.of(peer.job("1", false, ran, all, false)), List.of(peer.job("2", false, ran, all, false)),
                    List.of(peer.job("3", false, ran, all, false)));
            peer.startReading(reads);
            peer.state.close();
            peer.joinReaders(); // the reader ends although the action before its frames is still blocked
            release.countDown();
            await(all);
            assertEquals(List.of("0", "1", "2", "3"), ran);
        });
    }

    /** One peer's state, its readers (each dispatching the next prepared read) and a pool of a thread per drain. */
    private static final class Peer {
        final PeerState state;
        final List<Thread> readers = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> drains = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger nextRead = new AtomicInteger();
        private volatile List<List<PeerState.Job>> reads = List.of();

        Peer(int depth) {
            Executor pool = task -> {
                Thread drain = new Thread(task, "pool");
                drains.add(drain);
                drain.start();
            };
            this.state = new PeerState(pool, depth, null, this::newReader, () -> 0, 0);
        }

        PeerState.Job job(String name, boolean onReader, List<String> ran, CountDownLatch all, boolean handsOff) {
            return new PeerState.Job(() -> {
                if (handsOff) {
                    state.handOffFrom(Thread.currentThread());
                }
                ran.add(name);
                all.countDown();
            }, onReader);
        }

        void startReading(List<List<PeerState.Job>> prepared) {
            reads = prepared;
            Thread first = newReader();
            state.startReading(first);
            first.start();
        }

        private Thread newReader() {
            Thread reader = new Thread(() -> {
                Thread me = Thread.currentThread();
                int next;
                while (state.reads(me) && (next = nextRead.getAndIncrement()) < reads.size()) {
                    state.dispatch(reads.get(next));
                }
            }, "reader");
            readers.add(reader);
            return reader;
        }

        void joinReaders() {
            for (int i = 0; i < readers.size(); i++) {
                join(readers.get(i));
            }
        }

        /** Readers first: only a reader (or the end of an action on one) starts a drain. */
        void joinAll() {
            joinReaders();
            for (int i = 0; i < drains.size(); i++) {
                join(drains.get(i));
            }
        }
    }

    static void explore(Runnable test) {
        int iterations = Integer.getInteger("fray.iterations", 0);
        // Fray stops a run at its timeout (s) whatever the iterations: a long run asked for gets a day
        FrayInTestLauncher.INSTANCE.launchFray(test, new POSScheduler(), new ControlledRandomProvider(),
                iterations > 0 ? iterations : DEFAULT_ITERATIONS, iterations > 0 ? 86_400 : 120, false,
                TimelineCoverageType.RESOURCE_ORDERING, config -> kotlin.Unit.INSTANCE);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
