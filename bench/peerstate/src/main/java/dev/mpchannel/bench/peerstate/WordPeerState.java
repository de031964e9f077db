package dev.mpchannel.bench.peerstate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The per-peer state as one word changed by compare-and-set: the same states and transitions as transport's
 * {@code PeerState} (and {@link LockPeerState}, its copy), with no lock. Written to measure the choice, not used by
 * the channel.
 * <p>
 * The word packs the state (3 bits), closed (1), whether the reader is parked for room (1), how many actions are
 * queued (27) and a run sequence (32) that each action taken on the reading thread advances, so that the watch's
 * compare-and-set fails if the action it timed has ended meanwhile. The queue is a lock-free queue whose only adder
 * is the reading thread, which counts what it added in the word afterwards; its only taker is the runner the state
 * names, which takes one action per decrement of the count. A hand-off goes through a fifth, transient state
 * ({@code HANDING}) while the new reader is published: a former reader finishing its action spins through it, so that
 * it never sees the state handed off while it still appears to be the reader.
 */
public final class WordPeerState implements PeerStateModel {
    private static final int HANDING = 4;
    private static final long STATE_MASK = 0b111;
    private static final long CLOSED = 1L << 3;
    private static final long WAITER = 1L << 4;
    private static final int COUNT_SHIFT = 5;
    private static final long COUNT_UNIT = 1L << COUNT_SHIFT;
    private static final long COUNT_MASK = ((1L << 27) - 1) << COUNT_SHIFT;
    private static final long SEQ_UNIT = 1L << 32;
    private static final VarHandle WORD;
    private static final VarHandle RUNNING_SINCE;
    private static final VarHandle READER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WORD = lookup.findVarHandle(WordPeerState.class, "word", long.class);
            RUNNING_SINCE = lookup.findVarHandle(WordPeerState.class, "runningSince", long.class);
            READER = lookup.findVarHandle(WordPeerState.class, "reader", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor pool;
    private final int depth;
    private final Supplier<Thread> newReader;
    private final Consumer<Thread> startReader;
    private final IntSupplier repliesAwaited;
    private final long roomRecheckNanos;
    private final Queue<Job> queue = new ConcurrentLinkedQueue<>();
    private volatile long word; // IDLE, open, nobody parked, nothing queued, sequence 0
    private volatile Thread reader; // changes only while HANDING; in ON_READER it is also the runner
    private long runningSince; // written by the runner before the claim that the watch checks

    /** The same parameters as {@link LockPeerState}'s. */
    public WordPeerState(Executor pool, int depth, Supplier<Thread> newReader, Consumer<Thread> startReader,
            IntSupplier repliesAwaited, long roomRecheckMillis) {
        this.pool = pool;
        this.depth = depth;
        this.newReader = newReader;
        this.startReader = startReader;
        this.repliesAwaited = repliesAwaited;
        this.roomRecheckNanos = roomRecheckMillis * 1_000_000L;
    }

    private static int stateOf(long w) {
        return (int) (w & STATE_MASK);
    }

    private static int countOf(long w) {
        return (int) ((w & COUNT_MASK) >>> COUNT_SHIFT);
    }

    private static long with(long w, int state) {
        return (w & ~STATE_MASK) | state;
    }

    private boolean cas(long expected, long next) {
        return WORD.compareAndSet(this, expected, next);
    }

    @Override
    public void startReading(Thread first) {
        reader = first;
    }

    @Override
    public boolean reads(Thread thread) {
        return reader == thread;
    }

    @Override
    public int queued() {
        return countOf(word);
    }

    @Override
    public int state() {
        int s = stateOf(word);
        return s == HANDING ? ON_READER : s;
    }

    @Override
    public void dispatch(List<Job> jobs) {
        Thread me = Thread.currentThread();
        int n = jobs.size();
        if (n == 1) {
            queue.add(jobs.get(0));
        } else {
            queue.addAll(jobs);
        }
        boolean firstMay = n > 0 && jobs.get(0).mayRunOnReader();
        boolean mine;
        boolean startPool;
        while (true) {
            long w = word;
            int s = stateOf(w);
            long next = w + n * COUNT_UNIT;
            mine = s == IDLE && firstMay && reader == me;
            startPool = !mine && s == IDLE && countOf(next) > 0;
            if (mine) {
                next = with(next, ON_READER);
            } else if (startPool) {
                next = with(next, POOLED);
            }
            if (cas(w, next)) {
                break;
            }
        }
        if (startPool) {
            startPool();
        }
        if (mine) {
            runOnReader();
        }
        awaitRoom(me);
    }

    private void runOnReader() {
        while (true) {
            long w = word;
            int s = stateOf(w);
            if (s == HANDING) { // the new reader is being published: a moment
                Thread.onSpinWait();
                continue;
            }
            if (countOf(w) == 0) {
                if (cas(w, with(w, IDLE))) {
                    return;
                }
                continue;
            }
            Job next = queue.peek(); // counted, so there; only the runner takes
            if (s == HANDED_OFF || !next.mayRunOnReader()) {
                if (cas(w, with(w, POOLED))) {
                    startPool();
                    return;
                }
                continue;
            }
            RUNNING_SINCE.setRelease(this, System.nanoTime());
            if (cas(w, (w - COUNT_UNIT + SEQ_UNIT) & ~WAITER)) {
                queue.poll();
                if ((w & WAITER) != 0) {
                    LockSupport.unpark(reader);
                }
                LockPeerState.runGuarded(next.action());
            }
        }
    }

    private void awaitRoom(Thread me) {
        while (true) {
            long w = word;
            int c = countOf(w);
            if ((w & CLOSED) != 0 || reader != me || c <= depth || c <= 2 * depth && repliesAwaited.getAsInt() != 0) {
                return;
            }
            if ((w & WAITER) == 0 && !cas(w, w | WAITER)) {
                continue; // a take or close came between: look again
            }
            if (roomRecheckNanos > 0) {
                LockSupport.parkNanos(this, roomRecheckNanos);
            } else {
                LockSupport.park(this);
            }
            if (me.isInterrupted()) {
                return;
            }
        }
    }

    private void startPool() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) { // nobody will run them: drop what is counted
            while (true) {
                long w = word;
                if (cas(w, with(w & ~COUNT_MASK & ~WAITER, IDLE))) {
                    for (int i = countOf(w); i > 0; i--) {
                        queue.poll();
                    }
                    LockSupport.unpark(reader);
                    return;
                }
            }
        }
    }

    private void drain() {
        while (true) {
            long w = word;
            if (countOf(w) == 0) {
                if (cas(w, with(w, IDLE))) {
                    return;
                }
                continue;
            }
            if (cas(w, (w - COUNT_UNIT) & ~WAITER)) {
                Job next = queue.poll();
                if ((w & WAITER) != 0) {
                    LockSupport.unpark(reader);
                }
                LockPeerState.runGuarded(next.action());
            }
        }
    }

    @Override
    public void handOffFrom(Thread acting) {
        Thread next = null;
        while (true) {
            long w = word;
            if (stateOf(w) != ON_READER || reader != acting || (w & CLOSED) != 0) {
                return;
            }
            if (next == null) {
                next = newReader.get();
            }
            if (cas(w, with(w, HANDING))) {
                publish(next);
                return;
            }
        }
    }

    @Override
    public void handOffIfRunningLongerThan(long waiting, long running, long now) {
        long w = word;
        if (stateOf(w) != ON_READER || (w & CLOSED) != 0) {
            return;
        }
        long acting = now - (long) RUNNING_SINCE.getAcquire(this);
        if (!(acting > running || acting > waiting && reader.getState() != Thread.State.RUNNABLE)) {
            return;
        }
        Thread next = newReader.get();
        if (cas(w, with(w, HANDING))) { // fails if that action has ended (sequence) or anything else moved
            publish(next);
        }
    }

    /** HANDING -> HANDED_OFF once {@code next} is the reader; then it is started. */
    private void publish(Thread next) {
        READER.setRelease(this, next); // the compare-and-set below fences it: no second fence here
        while (true) {
            long w = word; // only close may change it meanwhile
            if (cas(w, with(w, HANDED_OFF))) {
                break;
            }
        }
        startReader.accept(next);
    }

    @Override
    public void close() {
        while (true) {
            long w = word;
            if (cas(w, (w | CLOSED) & ~WAITER)) {
                break;
            }
        }
        Thread current = reader;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }
}
