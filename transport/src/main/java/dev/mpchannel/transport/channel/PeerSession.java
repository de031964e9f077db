package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected peer as the channel sees it: its connection, the thread that reads it, the queue its actions run
 * through, its counters, and what completes when it is gone.
 * <p>
 * The reading thread may run an action itself ({@link #runOnReader}), which saves waking an action thread. While it
 * does, nobody reads this peer; so if the action goes on for long (a {@link ReaderWatch} looks) or is about to block
 * on a request ({@link #beforeBlocking}), the reading passes to a new thread, and the old one ends with its action.
 * One thread reads at a time: {@code turn} is even while its owner reads and odd while it runs an action, and only a
 * hand-off, from an odd value, moves it on to the next owner's.
 */
final class PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);

    /** Where a session hands what it reads. */
    interface Inbound {
        /** The frames one read brought, in order. */
        void received(PeerSession from, List<Frame> frames);

        /** The peer is gone (its connection is closed and its leftovers released); {@code why} in words. */
        void gone(PeerSession session, String why);
    }

    private final Connection connection;
    private final SerialExecutor inbox;
    private final ActionTraffic actionTraffic;
    private final Duration writeTimeout;
    private final TrafficCounter traffic = new TrafficCounter();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Inbound inbound;
    private final AtomicLong turn = new AtomicLong();
    private volatile Thread reader; // the thread whose turn it is to read
    private volatile long actingSince;
    private volatile Thread actingThread;
    /** The session a reading thread reads, for its whole life (a reading thread serves one peer). */
    private static final ThreadLocal<PeerSession> READING = new ThreadLocal<>();

    PeerSession(Connection connection, SerialExecutor inbox, ActionTraffic actionTraffic, Duration writeTimeout,
            Inbound inbound) {
        this.connection = connection;
        this.inbox = inbox;
        this.actionTraffic = actionTraffic;
        this.writeTimeout = writeTimeout;
        this.inbound = inbound;
    }

    Peer peer() {
        return connection.peer();
    }

    /** The queue this peer's actions run through, one at a time in the order they came. */
    SerialExecutor inbox() {
        return inbox;
    }

    TrafficCounter traffic() {
        return traffic;
    }

    /** Requests of this side's that were written to this peer and are not answered yet. */
    AtomicInteger requestsInFlight() {
        return requestsInFlight;
    }

    /** Completes once the peer is gone and forgotten. */
    CompletableFuture<Void> gone() {
        return gone;
    }

    void startReading() {
        startReader(0);
    }

    private void startReader(long myTurn) {
        Thread next = new Thread(() -> read(myTurn), "mpchannel-read-" + connection.peer());
        next.setDaemon(true);
        reader = next;
        next.start();
    }

    /**
     * Runs an action on the reading thread (the caller), which holds the reading meanwhile unless it is handed off;
     * after a hand-off this thread stops reading once the action is done.
     */
    void runOnReader(Runnable action, ReaderWatch watch) {
        long reading = turn.get(); // even, and ours: nobody else moves it while it is even
        actingThread = Thread.currentThread();
        actingSince = System.nanoTime();
        turn.set(reading + 1);
        watch.acting();
        try {
            action.run();
        } finally {
            watch.done();
            turn.compareAndSet(reading + 1, reading);
        }
    }

    /**
     * Hands the reading to a new thread if the reading thread's action has waited (parked, sleeping, on a lock) for
     * longer than {@code waiting}, or has been running for longer than {@code running}: a thread that is merely
     * preempted, as on a busy core, keeps its turn for longer than one blocked in Java, whose wait may be for a frame
     * of this very peer. (A system call that blocks shows as running, hence the bound on that too.)
     */
    void handOffIfActingLongerThan(long waiting, long running, long now) {
        long current = turn.get();
        if ((current & 1) == 0) {
            return;
        }
        long acting = now - actingSince;
        if (acting > running || acting > waiting && actingThread.getState() != Thread.State.RUNNABLE) {
            handOff(current);
        }
    }

    /** Hands the reading to a new thread if {@code acting} is still the turn (of a reading thread in an action). */
    private void handOff(long acting) {
        if (turn.compareAndSet(acting, acting + 1)) {
            LOG.debug("{}: an action holds the reading thread; a new thread reads on", peer());
            startReader(acting + 1);
        }
    }

    /**
     * Called before this thread blocks on a reply: if it is a reading thread running an action, the reading passes to
     * another thread first, so that the reply (perhaps from this very peer) can be read.
     */
    static void beforeBlocking() {
        PeerSession session = READING.get();
        if (session != null) {
            long current = session.turn.get();
            // odd and ours: this thread is in an action with the reading still its own (not yet handed off)
            if ((current & 1) == 1 && session.actingThread == Thread.currentThread()) {
                session.handOff(current);
            }
        }
    }

    /** Writes a frame and counts it; a failed write drops the peer (its reader then reports it gone). */
    void write(Frame frame) throws IOException {
        write(List.of(frame));
    }

    /**
     * Writes the frames in their order, in as few system calls as the wire allows, and counts them; or queues them
     * when the peer is being written to or keeps up slowly (see {@link PeerOutbox}). A peer that cannot keep up is
     * dropped (its reader then reports it gone) and the write fails.
     */
    void write(List<Frame> frames) throws IOException {
        outbox.write(frames, true);
    }

    /**
     * Counts frames for this peer and for their actions: once per run of frames for the same action (a read or a
     * batch brings many), not once per frame.
     */
    private void count(List<Frame> frames, boolean sent) {
        int first = 0;
        while (first < frames.size()) {
            String action = frames.get(first).message().action();
            long bytes = 0;
            long fds = 0;
            int end = first;
            for (; end < frames.size() && frames.get(end).message().action().equals(action); end++) {
                bytes += frames.get(end).wireLength();
                fds += frames.get(end).fileDescriptors().size();
            }
            int messages = end - first;
            TrafficCounter byAction = actionTraffic.of(action);
            if (sent) {
                traffic.sent(messages, bytes, fds);
                byAction.sent(messages, bytes, fds);
            } else {
                traffic.received(messages, bytes, fds);
                byAction.received(messages, bytes, fds);
            }
            first = end;
        }
    }

    /** Disconnects the peer; its reader then ends and reports it gone. */
    void close() {
        connection.close();
    }

    /**
     * Waits a little for the reading thread to end (after {@link #close}): the one whose turn it is, and the next one
     * if the reading is handed off meanwhile. A thread the reading was handed off from ends with its action.
     */
    void awaitReader(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Thread current = reader;
        long left;
        while (current != null && (left = deadline - System.nanoTime()) > 0) { // null: closed before it started
            current.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (reader == current) {
                return;
            }
            current = reader;
        }
    }

    /** Reads until the peer is gone, or until the reading was handed to another thread ({@code turn} moved on). */
    private void read(long myTurn) {
        READING.set(this);
        String why = "closed the connection";
        boolean reported = false;
        try {
            List<Frame> frames;
            while (!(frames = connection.readAvailable()).isEmpty()) {
                count(frames, false);
                inbound.received(this, frames);
                if (turn.get() != myTurn) {
                    return; // handed off during an action: the new reader goes on, and ends the session
                }
            }
        } catch (FrameException e) {
            traffic.error();
            why = "broke the protocol and was disconnected: " + e.getMessage();
            LOG.warn("{} {}", peer(), why);
            reported = true;
        } catch (IOException e) {
            if (connection.isOpen()) { // else this side closed it
                why = "was lost: " + e;
            }
        } catch (RuntimeException e) {
            why = "was disconnected after an internal error: " + e;
            LOG.error("{} {}", peer(), why, e);
            reported = true;
        } finally {
            if (turn.get() == myTurn) {
                endSession(why, reported);
            }
        }
    }

    private void endSession(String why, boolean reported) {
        connection.close();
        connection.releaseReceived();
        inbound.gone(this, why);
        if (!reported) {
            LOG.info("{} {}", peer(), why);
        }
        gone.complete(null);
    }

    // What this side sends to the peer goes through its outbox (PeerOutbox): these serve it.

    private final PeerOutbox outbox = new PeerOutbox(this);

    /** This peer's outbound queue: where writes that must not wait, and those to a slow peer, go. */
    PeerOutbox outbox() {
        return outbox;
    }

    Connection connection() {
        return connection;
    }

    Duration writeTimeout() {
        return writeTimeout;
    }

    /** How many frames and descriptors may wait for this peer, in and out ({@code queue.depth}). */
    int queueDepth() {
        return inbox.depth();
    }

    void countSent(List<Frame> frames) {
        count(frames, true);
    }

    /** Where this session hands what it reads (a queued request the wire refused is answered through it). */
    Inbound inbound() {
        return inbound;
    }
}
