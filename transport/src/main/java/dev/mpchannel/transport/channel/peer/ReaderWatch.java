package dev.mpchannel.transport.channel.peer;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Watches the reading threads that run actions ({@code reader.handoff.us}): when one has waited in its action (parked,
 * sleeping, on a lock) for longer than the hand-off time, or been in it for {@value #RUNNING_FACTOR} times as long
 * (computing, preempted, or blocked in a system call, which all look alike from here), its peer's reading passes to a
 * new thread, so that a slow or blocking action never stops a peer's frames (its requests' replies among them) from
 * being read. A thread that is only preempted keeps its turn, so a busy core does not make hand-offs of its own.
 * <p>
 * The watch looks every hand-off time, and sleeps after 100 ms in which it saw no action running: an action that
 * starts then wakes it. So a busy channel costs one wake-up per hand-off time, not one per action; the default hand-off
 * time (10 ms) keeps that at 100 a second, which matters on a host with many channels.
 */
public final class ReaderWatch {
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int RUNNING_FACTOR = 10;

    private final long handoffNanos;
    private final Supplier<Collection<PeerSession>> sessions;
    private final AtomicInteger acting = new AtomicInteger();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;

    /** Starts watching, unless {@code handoff} is zero. */
    public ReaderWatch(Duration handoff, Supplier<Collection<PeerSession>> sessions, String name) {
        this.handoffNanos = handoff.toNanos();
        this.sessions = sessions;
        this.thread = new Thread(this::watch, "mpchannel-watch-" + name);
        thread.setDaemon(true);
        if (enabled()) {
            thread.start();
        }
    }

    /** Whether actions may run on reading threads at all ({@code reader.handoff.us} is not 0). */
    public boolean enabled() {
        return handoffNanos > 0;
    }

    /** A reading thread starts an action. */
    void acting() {
        acting.incrementAndGet();
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** A reading thread is done with its action. */
    void done() {
        acting.decrementAndGet();
    }

    /** Stops watching, and waits a little for the watch thread to end. */
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        long lastSeen = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            if (acting.get() > 0) {
                lastSeen = now;
                for (PeerSession session : sessions.get()) {
                    session.state().handOffIfRunningLongerThan(handoffNanos, handoffNanos * RUNNING_FACTOR, now);
                }
            }
            if (now - lastSeen > IDLE_NANOS) {
                sleeping = true; // then look again: an action that started before this was seen wakes nobody
                if (acting.get() == 0 && !closed) {
                    LockSupport.park(this);
                }
                sleeping = false;
                lastSeen = System.nanoTime();
            } else {
                LockSupport.parkNanos(this, handoffNanos);
            }
        }
    }
}
