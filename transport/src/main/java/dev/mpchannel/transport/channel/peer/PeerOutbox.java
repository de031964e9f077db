package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.socket.FrameRefusedException;
import dev.mpchannel.transport.wire.Frame;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this side sends to one peer, in the order it was handed over, without letting a slow peer hold its senders for
 * long. A sender writes straight to the socket when nothing of this peer is queued or being written (the common case,
 * as fast as a bare write). Otherwise its frames are queued, their descriptors duplicated so that the sender may close
 * its own at once, and the peer's writer thread drains the queue, all of it in one write. A write that takes longer
 * than {@link #CONGESTED_NANOS} found the socket full or nearly so: the peer is congested, and what is sent to it is
 * queued until a drain finds the socket quick again. An asynchronous sender never writes itself.
 * <p>
 * At most {@code queue.depth} frames and descriptors wait: a sender that finds no room waits for it (a sender faster
 * than its peer is held back, as a full socket held it), an asynchronous one fails for that peer instead. Answers
 * never wait for room (a reader thread writes them; the peer bounds them by the requests it makes).
 * <p>
 * The peer is dropped, with one WARN line saying why and what was lost, when a write to it has taken longer than
 * {@code write.timeout.ms} or a frame has waited in its queue longer than that ({@link #checkStalled}, every quarter
 * of it): a peer stays only while it takes what is sent to it within that, and no sender waits on it for longer.
 */
public final class PeerOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(PeerOutbox.class);
    /** A write this long found the socket full or nearly so (an unhindered one takes microseconds). */
    static final long CONGESTED_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private final PeerSession session;
    private final OutboundQueue queue = new OutboundQueue(); // guarded by this, as are the fields below
    private List<Frame> writing = List.of(); // frames of the write in progress
    private boolean busy; // a sender or a writer task is writing
    private long busySince;
    private boolean congested;
    private String dropped; // why, once the peer is dropped
    private ThreadPoolExecutor writer; // made when first needed

    PeerOutbox(PeerSession session) {
        this.session = session;
    }

    /**
     * Writes the frames now if the peer is idle and keeps up, else queues them; returns once written or queued.
     *
     * @param here whether the caller may write itself (an asynchronous caller never does)
     * @throws IOException if the peer is dropped (now or before), or the frames were refused
     */
    public void write(List<Frame> frames, boolean here) throws IOException {
        write(frames, here, false);
    }

    /**
     * As {@link #write(List, boolean)}; {@code alone}: the caller sends to this peer only (an addressed send), so a
     * congested peer holds back nobody but this caller, as its full socket would: it writes itself whenever nothing
     * of this peer is queued or being written, which keeps a fast sender to one slow reader at the socket's pace
     * instead of a hand-off to the writer thread per write.
     */
    public void write(List<Frame> frames, boolean here, boolean alone) throws IOException {
        boolean direct;
        boolean startDrain = false;
        synchronized (this) {
            if (dropped != null) {
                throw new IOException(session.peer() + " " + dropped);
            }
            direct = here && !busy && (alone || !congested) && queue.isEmpty();
            if (direct) {
                busy = true;
                busySince = System.nanoTime();
                writing = frames;
            } else {
                int units = OutboundQueue.unitsOf(frames);
                if (!isAnswer(frames)) { // answers wait for no room: a reader thread writes them
                    awaitRoom(units, here);
                }
                queue.add(frames, units);
                if (!busy) {
                    busy = true;
                    busySince = System.nanoTime();
                    startDrain = true;
                }
            }
        }
        if (startDrain && !startDrain()) {
            throw new IOException(session.peer() + " is gone");
        }
        if (direct) {
            writeDirectly(frames);
        }
    }

    /**
     * Hands the queue to this peer's writer thread ({@link OutboundWriter#threadOf}); {@code false} if the peer is
     * gone (what is queued is then released).
     */
    private boolean startDrain() {
        ThreadPoolExecutor drainer;
        synchronized (this) {
            if (writer == null) {
                writer = OutboundWriter.threadOf(session);
            }
            drainer = writer;
        }
        try {
            drainer.execute(this::drain);
            return true;
        } catch (RejectedExecutionException gone) { // the peer is gone: what is queued reaches nobody
            synchronized (this) {
                dropped = dropped != null ? dropped : "is gone";
                busy = false;
                queue.takeAll().release();
                notifyAll();
            }
            return false;
        }
    }

    /**
     * Waits until the queue has room for {@code units} more (a sender faster than its peer is held back, as by a full
     * socket); an empty queue takes any number. A caller that may not wait fails instead, and the peer stays. Under
     * the lock.
     */
    private void awaitRoom(int units, boolean mayWait) throws IOException {
        int depth = session.queueDepth();
        while (dropped == null && queue.units() > 0 && queue.units() + units > depth) {
            if (!mayWait) {
                throw new IOException("not sent to " + session.peer() + ": " + queue.units() + " messages and "
                        + "descriptors (queue.depth " + depth + ") already wait to be written to it");
            }
            try {
                wait(); // woken when a writer takes the queue, or the peer is dropped (at write.timeout.ms at most)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for room in " + session.peer() + "'s queue");
            }
        }
        if (dropped != null) {
            throw new IOException(session.peer() + " " + dropped + "; disconnected");
        }
    }

    private static boolean isAnswer(List<Frame> frames) {
        return frames.get(0).kind().isAnswer();
    }

    private void writeDirectly(List<Frame> frames) throws IOException {
        long start = System.nanoTime();
        IOException failure = null;
        try {
            session.connection().write(frames);
        } catch (IOException e) {
            failure = e;
        }
        if (failure != null && !(failure instanceof FrameRefusedException)) {
            IOException thrown = failed(failure); // while this write still counts as in progress (for the loss)
            synchronized (this) {
                writing = List.of();
                busy = false;
            }
            throw thrown;
        }
        boolean drain;
        synchronized (this) {
            writing = List.of();
            congested |= failure == null && System.nanoTime() - start > CONGESTED_NANOS;
            drain = dropped == null && !queue.isEmpty();
            if (drain) {
                busySince = System.nanoTime();
            } else {
                busy = false;
            }
        }
        if (drain) {
            startDrain();
        }
        if (failure != null) {
            throw failure; // refused before anything was written: the peer is fine
        }
        session.countSent(frames);
    }

    /** Writes what is queued, all of it at a time, until the queue is empty or the peer dropped. */
    private void drain() {
        boolean fast = true;
        while (true) {
            OutboundQueue.Taken batch;
            synchronized (this) {
                if (dropped != null || queue.isEmpty()) {
                    busy = false;
                    writing = List.of();
                    congested &= !(fast && dropped == null);
                    return;
                }
                batch = queue.takeAll();
                notifyAll(); // senders waiting for room
                writing = batch.frames();
                busySince = System.nanoTime();
            }
            long start = System.nanoTime();
            try {
                OutboundWriter.write(session, batch.frames());
            } catch (IOException e) {
                failed(e);
            } finally {
                batch.release();
            }
            fast = System.nanoTime() - start <= CONGESTED_NANOS;
        }
    }

    /**
     * Drops the peers among {@code sessions} that cannot take what this side sends (see {@link #checkStalled}). On the
     * channel's timer, every quarter of {@code write.timeout.ms}.
     */
    public static void dropStalled(Iterable<PeerSession> sessions, long timeoutNanos) {
        long now = System.nanoTime();
        for (PeerSession session : sessions) {
            try {
                session.outbox().checkStalled(now, timeoutNanos);
            } catch (RuntimeException e) { // the next round must still come
                LOG.error("checking the writes to {} failed", session.peer(), e);
            }
        }
    }

    /**
     * Drops the peer if a write to it has taken longer than {@code timeoutNanos}, or a frame has waited in its queue
     * that long. Called by the channel's timer.
     */
    void checkStalled(long now, long timeoutNanos) {
        String why = null;
        synchronized (this) {
            long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
            if (dropped != null) {
                return;
            } else if (busy && !writing.isEmpty() && now - busySince > timeoutNanos) {
                why = "stopped reading: a write to it took longer than " + millis + " ms (write.timeout.ms)";
            } else if (!queue.isEmpty() && now - queue.oldestSince() > timeoutNanos) {
                why = "stopped reading fast enough: a message queued for it waited longer than " + millis
                        + " ms (write.timeout.ms)";
            }
            if (why != null) {
                dropLocked(why);
            }
        }
    }

    /** The failure of a write: the peer is dropped, and the caller learns why. */
    private IOException failed(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            String why = "stopped reading: a write made no progress for " + session.writeTimeout().toMillis()
                    + " ms (write.timeout.ms)";
            synchronized (this) {
                if (dropped == null) {
                    dropLocked(why);
                }
            }
            return new SocketTimeoutException(session.peer() + " " + why + "; disconnected");
        }
        String why;
        synchronized (this) {
            why = dropped;
            if (why == null) { // not dropped by this side: the peer went away (its reader reports it)
                dropped = "was lost: " + failure;
                notifyAll();
                queue.takeAll().release();
                LOG.debug("writing to {} failed, dropping it: {}", session.peer(), failure.toString());
            }
        }
        if (why == null) {
            session.traffic().error();
            session.connection().close();
            return failure;
        }
        return new IOException(session.peer() + " " + why + "; disconnected", failure);
    }

    /** Marks the peer dropped, says why and what is lost, and closes its connection (which ends a blocked write). */
    private void dropLocked(String why) {
        dropped = why;
        notifyAll(); // senders waiting for room fail now
        OutboundQueue.Taken lost = queue.takeAll();
        lost.release();
        session.traffic().error();
        LOG.warn("{} {}; disconnected it: {} messages ({} bytes) queued for it and {} ({} bytes) of the write in "
                + "progress are lost", session.peer(), why, lost.frames().size(), OutboundQueue.bytes(lost.frames()),
                writing.size(), OutboundQueue.bytes(writing));
        session.connection().close();
    }

}
