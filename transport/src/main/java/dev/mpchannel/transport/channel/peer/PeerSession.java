package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.channel.action.TrafficCounter;
import dev.mpchannel.transport.channel.peer.PeerPoller.AfterPoll;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.text.Printable;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected peer as the channel sees it: its connection, the thread that reads it, its {@link PeerState} (the
 * queue its actions run through, and which thread reads and which runs them), its counters, and what completes when
 * it is gone.
 * <p>
 * The reading thread may run the peer's actions itself, which saves waking an action thread; while it does, nobody
 * reads this peer, so if the action goes on for long ({@link ReaderWatch}) or is about to block on a request
 * ({@link #beforeBlocking}), the reading passes to a new thread, and the old one ends with its action
 * ({@link PeerState} has the rules).
 */
public final class PeerSession {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    /** How often a reader waiting for room in a full queue looks whether this side now awaits replies of the peer. */
    private static final long ROOM_RECHECK_MILLIS = 10;

    /** Where a session hands what it reads. */
    public interface Inbound {
        /** The frames one read brought, in order. */
        void received(PeerSession from, List<Frame> frames);

        /** The peer is gone (its connection is closed and its leftovers released); {@code why} in words. */
        void gone(PeerSession session, String why);
    }

    private final Connection connection;
    private final Peer peer;
    private final PeerState state;
    private final PeerTraffic traffic;
    private final Duration writeTimeout;
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final RunningRequests running = new RunningRequests();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final Inbound inbound;
    /** Reads the peer whenever no thread of its own does; {@code null}: a thread always does. */
    private volatile PeerPoller poller;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param pool  runs the actions that do not run on the reading thread
     * @param depth how many actions may wait in the peer's queue before its reading pauses ({@code queue.depth})
     * @param watch hands the reading on from a long action; {@code null}: none
     */
    public PeerSession(Connection connection, Executor pool, int depth, ReaderWatch watch, ActionTraffic actionTraffic,
            Duration writeTimeout, Inbound inbound, String channel) {
        this.connection = connection;
        this.peer = new ChannelPeer(channel, connection.credentials());
        this.state = new PeerState(pool, depth, watch, this::newReader, requestsInFlight::get, ROOM_RECHECK_MILLIS);
        this.traffic = new PeerTraffic(actionTraffic);
        this.writeTimeout = writeTimeout;
        this.inbound = inbound;
    }

    /** The peer as this channel gives it out: this instance, for as long as the connection lasts. */
    public Peer peer() {
        return peer;
    }

    /** The peer's requests this side has taken and not yet answered. */
    RunningRequests running() {
        return running;
    }

    /** The peer went away or the channel closed: no request of the peer waits for an answer of ours. */
    public void cancelRunning() {
        running.cancelAll();
    }

    /** Who reads this peer and who runs its actions, and its queue. */
    PeerState state() {
        return state;
    }

    public TrafficCounter traffic() {
        return traffic.peer();
    }

    /** Requests of this side's that were written to this peer and are not answered yet. */
    public AtomicInteger requestsInFlight() {
        return requestsInFlight;
    }

    /** Completes once the peer is gone and forgotten. */
    public CompletableFuture<Void> gone() {
        return gone;
    }

    /** Starts reading the peer with a thread of its own. */
    public void startReading() {
        Thread first = newReader();
        state.startReading(first);
        first.start();
    }

    /**
     * Starts reading the peer through {@code poller}, which waits for many peers on one thread; with a thread of its
     * own if the connection cannot be polled.
     */
    public void startReading(PeerPoller poller) {
        if (readinessDescriptor() == null) {
            startReading();
            return;
        }
        this.poller = poller;
        poller.add(this);
    }

    /**
     * A reading thread for this peer, not started. It gets the transport's class loader as its context loader, not
     * that of the thread that makes it (an action's thread, after a hand-off, may have set any).
     */
    private Thread newReader() {
        Thread thread = new ReadingThread(this);
        thread.setDaemon(true);
        thread.setContextClassLoader(PeerSession.class.getClassLoader());
        return thread;
    }

    /** A thread that reads one peer, for its whole life; {@link #beforeBlocking} finds its session through it. */
    private static final class ReadingThread extends Thread {
        private final PeerSession session;

        ReadingThread(PeerSession session) {
            super("mpchannel-read-" + session.peer());
            this.session = session;
        }

        @Override
        public void run() {
            session.read(this);
        }
    }

    /**
     * Called before this thread blocks on a reply: if it is a reading thread running an action with the reading still
     * its own, the reading passes to another thread first, so that the reply (perhaps from this very peer) is read.
     */
    public static void beforeBlocking() {
        if (Thread.currentThread() instanceof ReadingThread reading) {
            reading.session.state.handOffFrom(reading);
        }
    }

    /** Writes a frame and counts it; a failed write drops the peer (its reader then reports it gone). */
    public void write(Frame frame) throws IOException {
        write(List.of(frame));
    }

    /**
     * Writes the frames in their order, in as few system calls as the wire allows, and counts them; or queues them
     * when the peer is being written to or keeps up slowly (see {@link PeerOutbox}). A peer that cannot keep up is
     * dropped (its reader then reports it gone) and the write fails.
     */
    public void write(List<Frame> frames) throws IOException {
        outbox.write(frames, true);
    }

    /** As {@link #write(List)}, for frames to this peer alone: {@link PeerOutbox#write(List, boolean, boolean)}. */
    public void writeAlone(List<Frame> frames) throws IOException {
        outbox.write(frames, true, true);
    }

    /** Disconnects the peer; its reader then ends and reports it gone (one waiting for room stops waiting). */
    public void close() {
        state.close();
        connection.close();
        PeerPoller polling = poller;
        if (polling != null) {
            polling.wake();
        }
    }

    /**
     * Waits for the reading thread to end (after {@link #close}), until {@code deadline} ({@link System#nanoTime}):
     * the one whose turn it is, and the next one if the reading is handed off meanwhile. A thread the reading was
     * handed off from ends with its action.
     *
     * @return whether it ended in time
     */
    public boolean awaitReader(long deadline) throws InterruptedException {
        if (!state.awaitReader(deadline)) {
            return false;
        }
        try { // a polled peer has no thread to wait for: its poller ends it
            gone.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return gone.isDone();
        }
    }

    /**
     * Reads until the peer is gone, or until the reading was handed to another thread, or (for a polled peer) until
     * everything that had arrived is read and the queue has room: then the poller reads on.
     */
    private void read(Thread me) {
        Throwable failure = null;
        try {
            List<Frame> frames;
            while (!(frames = connection.readAvailable()).isEmpty()) {
                traffic.received(frames);
                inbound.received(this, frames);
                if (!state.reads(me)) {
                    return; // handed off during an action: the new reader goes on, and ends the session
                }
                PeerPoller polling = poller;
                if (polling != null && state.queued() <= state.depth() && connection.drained()
                        && state.stopReading(me)) {
                    polling.add(this);
                    return;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            if (state.reads(me)) {
                end(failure);
            }
        }
    }

    /** Called by the poller when the connection is readable: reads what arrived and hands its whole frames on. */
    AfterPoll readPolled() {
        try {
            List<Frame> frames = connection.readArrived();
            if (frames == null) {
                end(null);
                return AfterPoll.GONE;
            }
            if (!frames.isEmpty()) {
                traffic.received(frames);
                inbound.received(this, frames);
            }
            return connection.needsBlockingRead() || state.queued() > state.depth() ? AfterPoll.THREAD
                    : AfterPoll.POLL;
        } catch (IOException | RuntimeException | Error e) {
            end(e);
            return AfterPoll.GONE;
        }
    }

    /** The readiness descriptor of an open connection that can be polled, else {@code null}. */
    FileDescriptor readinessDescriptor() {
        try {
            return connection.isOpen() ? connection.readinessDescriptor() : null;
        } catch (IOException e) {
            return null;
        }
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    /** The poller found the connection closed (by this side): the session ends. */
    void endPolled() {
        end(null);
    }

    /** Ends the session: the peer closed the connection ({@code failure} null), or what went wrong. */
    private void end(Throwable failure) {
        String why = "closed the connection";
        boolean reported = false;
        if (failure instanceof FrameException e) {
            traffic.peer().error();
            why = "broke the protocol and was disconnected: " + e.getMessage();
            LOG.warn("{} {}", peer(), Printable.escape(why));
            reported = true;
        } else if (failure instanceof IOException e) {
            if (connection.isOpen()) { // else this side closed it
                why = "was lost: " + e;
            }
        } else if (failure != null) {
            why = "was disconnected after an internal error: " + failure;
            LOG.error("{} {}", peer(), Printable.escape(why), failure);
            reported = true;
        }
        endSession(why, reported);
    }

    private void endSession(String why, boolean reported) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        connection.close();
        connection.releaseReceived();
        inbound.gone(this, why);
        if (!reported) {
            LOG.info("{} {}", peer(), Printable.escape(why));
        }
        gone.complete(null);
    }

    // What this side sends to the peer goes through its outbox (PeerOutbox): these serve it.

    private final PeerOutbox outbox = new PeerOutbox(this);

    /** This peer's outbound queue: where writes that must not wait, and those to a slow peer, go. */
    public PeerOutbox outbox() {
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
        return state.depth();
    }

    void countSent(List<Frame> frames) {
        traffic.sent(frames);
    }

    /** Where this session hands what it reads (a queued request the wire refused is answered through it). */
    Inbound inbound() {
        return inbound;
    }
}
