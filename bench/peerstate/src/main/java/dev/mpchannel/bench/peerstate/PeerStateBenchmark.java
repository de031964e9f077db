package dev.mpchannel.bench.peerstate;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transitions the per-peer state makes on the hot path, timed for each owner of it ({@code variant}: {@code lock}
 * is {@link LockPeerState}, the copy of transport's PeerState; {@code word} is {@link WordPeerState}). Each operation
 * is one {@code dispatch} of a read of one action by the reading thread, with an action that does nothing, so that
 * what is timed is the state machine (the methods return nothing: a query would take the lock once more):
 * <ul>
 * <li>{@code inlineRun}: IDLE -> ON_READER, the action taken and run on the reader, ON_READER -> IDLE, the room check;
 * <li>{@code handOff}: the same, with an action that hands the reading off (ON_READER -> HANDED_OFF; the "new" reader
 * is the same thread, and is not started, so that {@link Thread#start} is not what is timed), then HANDED_OFF -> IDLE;
 * <li>{@code poolDispatch}: IDLE -> POOLED, the drain (run at once on the calling thread) takes the action, POOLED ->
 * IDLE, the room check;
 * <li>{@code inlineWatched}: {@code inlineRun} while a second thread calls the watch's check without pause (far
 * more often than the watch, which looks every {@code reader.handoff.us}: the worst case of a second thread that
 * only looks);
 * <li>{@code poolDrained}: {@code poolDispatch} with a real action thread (spinning, then parked) draining the queue
 * while the reader fills it, up to {@code queue.depth}'s default of 1024 and then waiting for room: the reader and
 * the pool change the state at once.
 * </ul>
 * Uncontended benchmarks are meant to run pinned to one core, the contended ones on two ({@code run.sh}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class PeerStateBenchmark {
    private static final int DEPTH = 1024;
    private static final Runnable NOTHING = () -> { };

    /** One peer's state used by one thread, with a pool that runs a drain at once on the calling thread. */
    @State(Scope.Thread)
    public static class Alone {
        @Param({"lock", "word"})
        String variant;
        PeerStateModel state;
        List<Job> inline;
        List<Job> pooled;
        List<Job> handingOff;

        @Setup(Level.Trial)
        public void setUp() {
            state = PeerStateModel.of(variant, Runnable::run, DEPTH, Thread::currentThread, next -> { }, () -> 0, 10);
            state.startReading(Thread.currentThread());
            inline = List.of(new Job(NOTHING, true));
            pooled = List.of(new Job(NOTHING, false));
            handingOff = List.of(new Job(() -> state.handOffFrom(Thread.currentThread()), true));
        }
    }

    /** One peer's state shared by the reader and the watch. */
    @State(Scope.Group)
    public static class Watched {
        @Param({"lock", "word"})
        String variant;
        PeerStateModel state;
        final List<Job> inline = List.of(new Job(NOTHING, true));

        @Setup(Level.Trial)
        public void setUp() {
            state = PeerStateModel.of(variant, Runnable::run, DEPTH, Thread::currentThread, next -> { }, () -> 0, 10);
        }
    }

    /** Makes the thread that uses it the reader of {@link Watched}'s state. */
    @State(Scope.Thread)
    public static class WatchedReader {
        @Setup(Level.Trial)
        public void claim(Watched watched) {
            watched.state.startReading(Thread.currentThread());
        }
    }

    /** One peer's state read by the benchmark thread and drained by an action thread of its own. */
    @State(Scope.Thread)
    public static class Drained implements Executor {
        @Param({"lock", "word"})
        String variant;
        PeerStateModel state;
        final List<Job> pooled = List.of(new Job(NOTHING, false));
        private final AtomicReference<Runnable> drain = new AtomicReference<>();
        private volatile boolean parked;
        private volatile boolean stop;
        private Thread actionThread;

        @Setup(Level.Trial)
        public void setUp() {
            state = PeerStateModel.of(variant, this, DEPTH, Thread::currentThread, next -> { }, () -> 0, 10);
            state.startReading(Thread.currentThread());
            actionThread = new Thread(this::runDrains, "action thread");
            actionThread.setDaemon(true);
            actionThread.start();
        }

        /** The pool: one drain at a time, as the state machine promises. */
        @Override
        public void execute(Runnable command) {
            if (!drain.compareAndSet(null, command)) {
                throw new IllegalStateException("a second drain while one is pending: the state machine is broken");
            }
            if (parked) {
                LockSupport.unpark(actionThread);
            }
        }

        private void runDrains() {
            int idle = 0;
            while (!stop) {
                Runnable next = drain.getAndSet(null);
                if (next != null) {
                    next.run();
                    idle = 0;
                } else if (++idle < 1_000) {
                    Thread.onSpinWait();
                } else { // as an idle pool thread does: park until work comes
                    parked = true;
                    if (drain.get() == null && !stop) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idle = 0;
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            LockSupport.unpark(actionThread);
            actionThread.join(10_000);
            state.close();
        }
    }

    /** A read of one action that may run on the reader, run there. */
    @Benchmark
    public void inlineRun(Alone alone) {
        alone.state.dispatch(alone.inline);
    }

    /** A read of one action that hands the reading off. */
    @Benchmark
    public void handOff(Alone alone) {
        alone.state.dispatch(alone.handingOff);
    }

    /** A read of one action for the pool, drained on the spot. */
    @Benchmark
    public void poolDispatch(Alone alone) {
        alone.state.dispatch(alone.pooled);
    }

    /** The reader of {@code inlineWatched}: as {@link #inlineRun}. */
    @Benchmark
    @Group("inlineWatched")
    @GroupThreads(1)
    public void inlineWatchedReader(Watched watched, WatchedReader reader) {
        watched.state.dispatch(watched.inline);
    }

    /** The watch of {@code inlineWatched}: looks whether the action on the reader has run too long (never). */
    @Benchmark
    @Group("inlineWatched")
    @GroupThreads(1)
    public void inlineWatchedWatch(Watched watched) {
        watched.state.handOffIfRunningLongerThan(Long.MAX_VALUE, Long.MAX_VALUE, System.nanoTime());
    }

    /** A read of one action for the pool while an action thread drains the queue. */
    @Benchmark
    public void poolDrained(Drained drained) {
        drained.state.dispatch(drained.pooled);
    }
}
