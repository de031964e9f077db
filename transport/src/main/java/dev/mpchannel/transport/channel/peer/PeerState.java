package dev.mpchannel.transport.channel.peer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who reads one peer and who runs its actions, as one state machine under one lock: the peer's queue of actions (run
 * one at a time, in the order they came), the thread whose turn it is to read, and whether that thread is running
 * the queue's actions itself (which saves waking an action thread) or the pool is. Claiming the right to run an
 * action on the reading thread and claiming the queue are one transition, so no other thread can start the peer's
 * next action, or read on, in between.
 * <p>
 * The reading thread hands each read's actions over whole ({@link #dispatch}), then waits while more than
 * {@code depth} are queued (backpressure: the peer's socket fills instead of memory). If the queue was idle and the
 * first action may run on the reading thread, that thread runs the queue's actions itself, as long as they may; the
 * rest go to the pool. While it does, nobody reads: if its action takes long ({@link ReaderWatch}) or blocks on a
 * request ({@link PeerSession#beforeBlocking}), the reading passes to a new thread ({@link #handOffFrom}), which
 * queues what it reads behind that action; the old thread ends with its action.
 */
final class PeerState {
    private static final Logger LOG = LoggerFactory.getLogger(PeerState.class);

    /*
     * The runner of the queue (state), with the thread whose turn it is to read (reader). Transitions, all under this
     * object's lock (docs/design.md has them as a table):
     *   IDLE     -> ON_READER   the reader dispatches a read whose first action may run on it: it claims the queue
     *   IDLE     -> POOLED      the reader dispatches a read whose first action may not: a drain goes to the pool
     *   ON_READER -> HANDED_OFF the action on the reader holds it too long or blocks: a new thread becomes the reader
     *   ON_READER -> IDLE       the reader ran the queue empty
     *   ON_READER -> POOLED     the next queued action may not run on the reader: the rest goes to the pool
     *   HANDED_OFF -> POOLED    the old reader's action ends with actions queued (by the new reader, or its own rest)
     *   HANDED_OFF -> IDLE      the old reader's action ends with the queue empty
     *   POOLED   -> IDLE        the pool's drain finds the queue empty
     * The reader changes in ON_READER -> HANDED_OFF, and for a polled peer (PeerPoller) when its reading thread
     * stops with nothing left to read (the reader becomes null: the poller reads, and never runs actions) and when the
     * poller gives the reading to a thread again. Closing keeps the state and sets closed: no hand-off after
     * it, and a reader waiting for room stops waiting.
     */
    static final int IDLE = 0;
    static final int POOLED = 1;
    static final int ON_READER = 2;
    static final int HANDED_OFF = 3;

    /** An action of the peer and whether it may run on the thread that read it. */
    record Job(Runnable action, boolean mayRunOnReader) {
    }

    private final Executor pool;
    private final int depth;
    private final ReaderWatch watch;
    private final Supplier<Thread> newReader;
    private final IntSupplier repliesAwaited;
    private final long roomRecheckMillis;
    private final Queue<Job> queue = new ArrayDeque<>();
    private int state = IDLE;
    private Thread reader;
    private Thread runner; // in ON_READER and HANDED_OFF: the reading thread that runs the action
    private long runningSince;
    private boolean closed;

    /**
     * @param newReader       makes (does not start) the thread that reads after a hand-off
     * @param repliesAwaited  answers this side awaits from the peer: while there are some, a full queue takes up to
     *                        {@code depth} more actions, so that the reading goes on to the replies
     * @param roomRecheckMillis how often a reader waiting for room looks at {@code repliesAwaited} again; 0: only
     *                        when woken
     */
    PeerState(Executor pool, int depth, ReaderWatch watch, Supplier<Thread> newReader, IntSupplier repliesAwaited,
            long roomRecheckMillis) {
        this.pool = pool;
        this.depth = depth;
        this.watch = watch;
        this.newReader = newReader;
        this.repliesAwaited = repliesAwaited;
        this.roomRecheckMillis = roomRecheckMillis;
    }

    /** How many actions may wait before the reading pauses ({@code queue.depth}). */
    int depth() {
        return depth;
    }

    /** Makes {@code first} the reading thread, before it starts (first, or after {@link #stopReading}). */
    synchronized void startReading(Thread first) {
        reader = first;
    }

    /** The thread whose turn it is to read; {@code null} before the first. */
    synchronized Thread reader() {
        return reader;
    }

    /** Whether {@code thread} still has the reading (it was not handed off). */
    synchronized boolean reads(Thread thread) {
        return reader == thread;
    }

    /**
     * {@code thread} stops reading (nothing of the peer waits to be read), if the reading is still its own: from now
     * on no thread has it, until {@link #startReading} gives it to one.
     *
     * @return whether it was its own
     */
    synchronized boolean stopReading(Thread thread) {
        if (reader != thread || closed) {
            return false;
        }
        reader = null;
        return true;
    }

    /** Actions queued and not started (for tests and the status of a peer). */
    synchronized int queued() {
        return queue.size();
    }

    synchronized int state() {
        return state;
    }

    /**
     * Takes one read's actions, in order, on the reading thread: runs them there while they may and the queue was
     * idle, queues the rest, and returns once at most {@code depth} are queued (or the peer is closed, or the reading
     * was handed off).
     */
    void dispatch(List<Job> jobs) {
        Thread me = Thread.currentThread();
        boolean mine;
        boolean startPool = false;
        synchronized (this) {
            queue.addAll(jobs);
            mine = state == IDLE && reader == me && !jobs.isEmpty() && jobs.get(0).mayRunOnReader();
            if (mine) {
                state = ON_READER;
                runner = me;
            } else if (state == IDLE && !queue.isEmpty()) {
                state = POOLED;
                startPool = true;
            }
        }
        if (startPool) {
            startPool();
        }
        if (mine) {
            runOnReader(me);
        }
        awaitRoom(me);
    }

    /** Runs the queue's actions on the reading thread while they may run here and it keeps the reading. */
    private void runOnReader(Thread me) {
        if (watch != null) {
            watch.acting();
        }
        try {
            while (true) {
                Job next;
                boolean startPool = false;
                synchronized (this) {
                    next = queue.peek();
                    if (next == null) {
                        state = IDLE;
                    } else if (state == HANDED_OFF || !next.mayRunOnReader()) {
                        state = POOLED;
                        startPool = true;
                        next = null;
                    } else {
                        queue.poll();
                        runningSince = System.nanoTime();
                        notifyAll(); // room
                    }
                    if (next == null) {
                        runner = null;
                    }
                }
                if (next == null) {
                    if (startPool) {
                        startPool();
                    }
                    return;
                }
                runGuarded(next.action());
            }
        } finally {
            if (watch != null) {
                watch.done();
            }
        }
    }

    /** Waits while the queue is over {@code depth}; stops waiting once closed or no longer the reader. */
    private synchronized void awaitRoom(Thread me) {
        while (!closed && reader == me && queue.size() > depth
                && (queue.size() > 2 * depth || repliesAwaited.getAsInt() == 0)) {
            try {
                wait(roomRecheckMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startPool() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) { // the channel is closing: nobody will run them
            synchronized (this) {
                LOG.debug("{} actions dropped: the channel's action threads are stopped", queue.size());
                queue.clear();
                state = IDLE;
                notifyAll();
            }
        }
    }

    private void drain() {
        while (true) {
            Job next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    state = IDLE;
                    return;
                }
                notifyAll(); // room
            }
            runGuarded(next.action());
        }
    }

    /** Runs an action; what escapes it (the dispatcher reports its own failures) must not stop the peer's queue. */
    private static void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        }
    }

    /** If {@code acting} is the reading thread running an action, hands the reading to a new thread. */
    void handOffFrom(Thread acting) {
        Thread next;
        synchronized (this) {
            if (state != ON_READER || runner != acting || closed) {
                return;
            }
            next = handOff();
        }
        next.start();
    }

    /**
     * Hands the reading to a new thread if the reading thread's action has waited (parked, sleeping, on a lock) for
     * longer than {@code waiting} nanoseconds, or run for longer than {@code running}: a thread that is merely
     * preempted keeps its turn longer than one blocked in Java, whose wait may be for a frame of this very peer.
     */
    void handOffIfRunningLongerThan(long waiting, long running, long now) {
        Thread next;
        synchronized (this) {
            if (state != ON_READER || closed) {
                return;
            }
            long acting = now - runningSince;
            if (!(acting > running || acting > waiting && runner.getState() != Thread.State.RUNNABLE)) {
                return;
            }
            next = handOff();
        }
        next.start();
    }

    /** ON_READER -> HANDED_OFF; the caller starts the returned thread. */
    private Thread handOff() {
        state = HANDED_OFF;
        reader = newReader.get();
        LOG.debug("an action holds the reading thread; a new thread reads on");
        return reader;
    }

    /** No more hand-offs; a reader waiting for room stops waiting. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Waits until the reading thread (the one whose turn it is, and the next if the reading is handed off meanwhile)
     * has ended, or until {@code deadline} ({@link System#nanoTime}). A thread the reading was handed off from ends
     * with its action.
     *
     * @return whether it ended in time
     */
    boolean awaitReader(long deadline) throws InterruptedException {
        Thread current = reader();
        long left;
        while (current != null && (left = deadline - System.nanoTime()) > 0) {
            current.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            Thread now = reader();
            if (now == current && !current.isAlive()) {
                return true;
            }
            current = now;
        }
        return current == null || !current.isAlive();
    }
}
