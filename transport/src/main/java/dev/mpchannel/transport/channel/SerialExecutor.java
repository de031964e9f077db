package dev.mpchannel.transport.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: messages from one peer are handled in the
 * order they were sent while different peers run in parallel, with no thread per peer. At most {@code depth} tasks
 * wait; past that, {@link #executeAll} blocks the submitting thread (a peer's reader), so a peer that sends faster than
 * its actions run is slowed down by its own socket instead of filling memory.
 */
final class SerialExecutor {
    private final Executor pool;
    private final Semaphore room;
    private final int depth;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor pool, int depth) {
        this.pool = pool;
        this.room = new Semaphore(depth);
        this.depth = depth;
    }

    /** The task, giving back its room in the queue once it ran. */
    private Runnable releasing(Runnable task) {
        return () -> {
            try {
                task.run();
            } finally {
                room.release();
            }
        };
    }

    /**
     * Queues the tasks in their order with one hand-off to the pool for all of them (one wake-up of an action thread
     * instead of one per task); when the queue is full, what fits is queued and the caller waits for room for the rest.
     */
    void executeAll(List<Runnable> batch) {
        List<Runnable> counted = new ArrayList<>(batch.size());
        for (Runnable task : batch) {
            if (!room.tryAcquire()) {
                enqueue(counted);
                counted = new ArrayList<>();
                room.acquireUninterruptibly();
            }
            counted.add(releasing(task));
        }
        enqueue(counted);
    }

    /** Runs {@code task} on the pool, out of order, but counted against the same depth (answers that need no action). */
    void executeUnordered(Runnable task) {
        room.acquireUninterruptibly();
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                room.release();
            }
        });
    }

    /**
     * Runs the task on the calling thread if nothing is queued or running, as if it were the queue's next task: what
     * is queued while it runs waits for it, and goes to the pool once it is done.
     *
     * @return whether it ran; if not, the caller queues it
     */
    boolean runHere(Runnable task) {
        synchronized (this) {
            if (running || !tasks.isEmpty()) {
                return false;
            }
            running = true;
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                if (tasks.isEmpty()) {
                    running = false;
                } else {
                    pool.execute(this::drain); // still running: the queued tasks follow on the pool
                }
            }
        }
        return true;
    }

    /** Whether nothing is queued or running: a task run now by the caller keeps the order. */
    synchronized boolean isIdle() {
        return !running && tasks.isEmpty();
    }

    private synchronized void enqueue(List<Runnable> batch) {
        if (batch.isEmpty()) {
            return;
        }
        tasks.addAll(batch);
        if (!running) {
            running = true;
            pool.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // The task reports its own failures; one that escapes must not stall this peer's queue.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }

    /** How many tasks may wait ({@code queue.depth}). */
    int depth() {
        return depth;
    }
}
