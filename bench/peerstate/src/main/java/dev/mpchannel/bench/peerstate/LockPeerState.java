package dev.mpchannel.bench.peerstate;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The per-peer state under one lock: a copy of transport's {@code dev.mpchannel.transport.channel.PeerState}, kept
 * transition for transition, so that the benchmark compares it with {@link WordPeerState} in one class path. Left
 * out: the logging, the reader watch's acting/done calls (one atomic increment each, the same in both variants) and
 * {@code awaitReader}; the new reader goes to {@code startReader} instead of {@link Thread#start}. When PeerState's
 * transitions change, change this copy with them.
 */
public final class LockPeerState implements PeerStateModel {
    private final Executor pool;
    private final int depth;
    private final Supplier<Thread> newReader;
    private final Consumer<Thread> startReader;
    private final IntSupplier repliesAwaited;
    private final long roomRecheckMillis;
    private final Queue<Job> queue = new ArrayDeque<>();
    private int state = IDLE;
    private Thread reader;
    private Thread runner;
    private long runningSince;
    private boolean closed;

    /** The same parameters as {@code PeerState}'s, less the watch, plus what starts a new reader. */
    public LockPeerState(Executor pool, int depth, Supplier<Thread> newReader, Consumer<Thread> startReader,
            IntSupplier repliesAwaited, long roomRecheckMillis) {
        this.pool = pool;
        this.depth = depth;
        this.newReader = newReader;
        this.startReader = startReader;
        this.repliesAwaited = repliesAwaited;
        this.roomRecheckMillis = roomRecheckMillis;
    }

    @Override
    public synchronized void startReading(Thread first) {
        reader = first;
    }

    @Override
    public synchronized boolean reads(Thread thread) {
        return reader == thread;
    }

    @Override
    public synchronized int queued() {
        return queue.size();
    }

    @Override
    public synchronized int state() {
        return state;
    }

    @Override
    public void dispatch(List<Job> jobs) {
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
            runOnReader();
        }
        awaitRoom(me);
    }

    private void runOnReader() {
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
    }

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
        } catch (RejectedExecutionException e) {
            synchronized (this) {
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

    static void runGuarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        }
    }

    @Override
    public void handOffFrom(Thread acting) {
        Thread next;
        synchronized (this) {
            if (state != ON_READER || runner != acting || closed) {
                return;
            }
            next = handOff();
        }
        startReader.accept(next);
    }

    @Override
    public void handOffIfRunningLongerThan(long waiting, long running, long now) {
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
        startReader.accept(next);
    }

    private Thread handOff() {
        state = HANDED_OFF;
        reader = newReader.get();
        return reader;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
