package dev.mpchannel.transport.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments this side lends one peer for large parameters ({@link Segment}): a message takes a free one, is copied
 * into it and sent with its descriptor and a token; the segment is free again when the peer releases that token
 * (docs/protocol.md, "Reused segments"). A segment's life:
 * <pre>
 *   free --lend--> lent, writing --written--> lent --the peer releases its token--> free
 *   lent, writing --the peer releases its token--> lent, writing, released --written--> free
 *   any --the pool closes--> closed (a segment being written: once its write is over)
 * </pre>
 * (A peer may read a frame and release its segment before the thread that wrote it is back: the segment is free only
 * once that write is over, so that it never carries two messages at once.)
 * Bounded, whatever the peer does: at most {@value #MOST_SEGMENTS} segments and {@value #MOST_BYTES} bytes. A peer
 * that never releases keeps what it was lent, nothing more: a message that finds no free segment and no room goes in a
 * fresh file, as to a peer that does not know segments. A release names a token this pool lent that peer, or it is
 * ignored.
 */
final class SegmentPool implements AutoCloseable {
    static final int MOST_SEGMENTS = 8;
    static final long MOST_BYTES = 64L << 20;
    /** The smallest segment: parameters go in a segment of their length rounded up to a power of two, at least this. */
    static final long SMALLEST_BYTES = 256 << 10;

    private final List<Segment> segments = new ArrayList<>(); // guarded by this
    private long bytes;
    private long nextToken = 1;
    private boolean closed;

    /**
     * A segment holding a copy of {@code params}, lent under a new token and marked as being written; {@code null}
     * when none is free and there is no room for another (the caller then makes a fresh file). The caller calls
     * {@link #written} once the frame is written or failed.
     */
    Segment lend(ByteBuffer params) throws IOException {
        int length = params.remaining();
        long capacity = capacityFor(length);
        if (capacity > MOST_BYTES) {
            return null;
        }
        Segment chosen;
        synchronized (this) {
            if (closed) {
                return null;
            }
            chosen = smallestFree(length);
            if (chosen == null) {
                while (segments.size() >= MOST_SEGMENTS || bytes + capacity > MOST_BYTES) {
                    Segment idle = smallestFree(0); // too small, or room is needed: it makes way for a fitting one
                    if (idle == null) {
                        return null;
                    }
                    segments.remove(idle);
                    bytes -= idle.capacity;
                    idle.close();
                }
                chosen = Segment.create(capacity);
                segments.add(chosen);
                bytes += capacity;
            }
            chosen.token = nextToken++;
            chosen.writing = true;
        }
        chosen.fill(params); // lent: nobody else writes it, and the peer has not been told of it yet
        return chosen;
    }

    /** The frame carrying {@code segment} was written, or failed. */
    synchronized void written(Segment segment) {
        segment.writing = false;
        if (segment.releasedWhileWriting) {
            segment.releasedWhileWriting = false;
            segment.token = 0;
        }
        if (closed && !segment.closed) {
            segment.close();
        }
    }

    /** The frame carrying {@code segment} was never written (its batch failed before): nobody was told of it. */
    synchronized void unused(Segment segment) {
        segment.releasedWhileWriting = true;
        written(segment);
    }

    /**
     * The peer no longer reads the segment lent under {@code token}.
     *
     * @return whether a segment was lent under it (and is free again)
     */
    synchronized boolean release(long token) {
        for (Segment segment : segments) {
            if (segment.token == token && !segment.releasedWhileWriting) {
                if (segment.writing) {
                    segment.releasedWhileWriting = true;
                } else {
                    segment.token = 0;
                }
                return true;
            }
        }
        return false;
    }

    /** How many segments are lent and not released (for tests and the status). */
    synchronized int lent() {
        return (int) segments.stream().filter(s -> s.token != 0).count();
    }

    /** How many segments there are. */
    synchronized int size() {
        return segments.size();
    }

    /** Closes every segment's descriptor (one being written once its write is over); later lends return null. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Segment segment : segments) {
            if (!segment.writing) {
                segment.close();
            }
        }
        segments.clear();
        bytes = 0;
    }

    private Segment smallestFree(int length) {
        Segment best = null;
        for (Segment segment : segments) {
            if (segment.token == 0 && segment.capacity >= length && (best == null || segment.capacity < best.capacity)) {
                best = segment;
            }
        }
        return best;
    }

    static long capacityFor(int length) {
        long capacity = SMALLEST_BYTES;
        while (capacity < length) {
            capacity <<= 1;
        }
        return capacity;
    }
}
