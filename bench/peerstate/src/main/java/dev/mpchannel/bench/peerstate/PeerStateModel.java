package dev.mpchannel.bench.peerstate;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the benchmark and the test call on either owner of the per-peer state: the operations of transport's
 * {@code PeerState}, with one difference: a hand-off gives the new reader to a starter passed to the constructor
 * instead of starting it, so that the benchmark measures the transition and not {@link Thread#start}.
 */
public interface PeerStateModel {
    /** The states of transport's {@code PeerState}. */
    int IDLE = 0;
    /** An action thread runs the queue. */
    int POOLED = 1;
    /** The reading thread runs the queue between its reads. */
    int ON_READER = 2;
    /** The former reader finishes its action; a new thread reads. */
    int HANDED_OFF = 3;

    /** Makes {@code first} the reading thread, before it starts. */
    void startReading(Thread first);

    /** Whether {@code thread} still has the reading. */
    boolean reads(Thread thread);

    /** Actions queued and not started. */
    int queued();

    /** One of {@link #IDLE}, {@link #POOLED}, {@link #ON_READER}, {@link #HANDED_OFF}. */
    int state();

    /** Takes one read's actions on the reading thread: runs, queues, waits for room, as {@code PeerState}. */
    void dispatch(List<Job> jobs);

    /** If {@code acting} is the reading thread running an action, hands the reading to a new thread. */
    void handOffFrom(Thread acting);

    /** Hands the reading off if the reading thread's action has waited or run too long (the watch). */
    void handOffIfRunningLongerThan(long waiting, long running, long now);

    /** No more hand-offs; a reader waiting for room stops waiting. */
    void close();

    /**
     * The variant named {@code lock} ({@link LockPeerState}) or {@code word} ({@link WordPeerState}), with
     * {@code PeerState}'s parameters less the watch, and what starts a new reader.
     */
    static PeerStateModel of(String variant, Executor pool, int depth, Supplier<Thread> newReader,
            Consumer<Thread> startReader, IntSupplier repliesAwaited, long roomRecheckMillis) {
        return switch (variant) {
            case "lock" -> new LockPeerState(pool, depth, newReader, startReader, repliesAwaited, roomRecheckMillis);
            case "word" -> new WordPeerState(pool, depth, newReader, startReader, repliesAwaited, roomRecheckMillis);
            default -> throw new IllegalArgumentException("variant " + variant + ": expected lock or word");
        };
    }
}
