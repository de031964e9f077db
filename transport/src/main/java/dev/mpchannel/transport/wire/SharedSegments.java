package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.text.Printable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reused shared-memory segments of one connection, both ways (docs/protocol.md, "Reused segments"):
 * <ul>
 * <li>the peer's, which this side reads: the first time parameters come in shared memory, this side tells the peer
 * that it releases segments ({@value ControlMessages#SEGMENTS}); each message that comes in one gets a
 * {@link SegmentLease}, whose release goes back as {@value ControlMessages#RELEASE};</li>
 * <li>this side's, lent to the peer ({@link SegmentPool}): only once the peer said it releases them, so that a peer
 * that does not know segments gets fresh files, as before.</li>
 * </ul>
 * Both control messages are handled here, by the reader, and never reach the channel's dispatch.
 */
public final class SharedSegments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSegments.class);
    /**
     * Writes what a reader or the garbage collector asks for: neither may block on a socket (a reader that writes can
     * deadlock with a peer doing the same). One daemon thread, gone when idle.
     */
    private static final Executor LATER;

    static {
        ThreadPoolExecutor later = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "mpchannel-segment-releases");
                    thread.setDaemon(true);
                    thread.setContextClassLoader(null);
                    return thread;
                });
        later.allowCoreThreadTimeOut(true);
        LATER = later;
    }

    private final SegmentPool lent = new SegmentPool();
    private final SegmentMappings kept = new SegmentMappings();
    private volatile FrameWriter writer; // the connection's, set once it exists
    private volatile boolean peerReleases;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private volatile boolean closed;

    void writer(FrameWriter writer) {
        this.writer = writer;
    }

    // ---- this side's segments, lent to the peer

    /**
     * A segment holding {@code params} for the peer, or {@code null}: the peer has not said it releases segments,
     * or none is free and there is no room (the caller makes a fresh file).
     */
    Segment lend(ByteBuffer params) throws IOException {
        if (!peerReleases) {
            return null;
        }
        Segment segment = lent.lend(params);
        (segment == null ? fallbacks : reused).incrementAndGet();
        return segment;
    }

    void written(Segment segment) {
        lent.written(segment);
    }

    void unused(Segment segment) {
        lent.unused(segment);
    }

    /** How many messages went in a segment, and how many in a fresh file for want of a free one (peer announced). */
    public long[] lendings() {
        return new long[] {reused.get(), fallbacks.get()};
    }

    /** The segments lent and not released, for tests. */
    int lentNow() {
        return lent.lent();
    }

    // ---- the peer's segments, read here

    /** A message came in shared memory: the peer is told, once, that this side releases segments. */
    void sharedReceived() {
        if (!closed && announced.compareAndSet(false, true)) {
            LATER.execute(() -> write(ControlMessages.segments()));
        }
    }

    /** The peer's segments as this connection keeps them mapped. */
    SegmentMappings kept() {
        return kept;
    }

    /** The lease of a message that came in the peer's segment {@code token}. */
    SegmentLease lease(long token, SharedParams.SegmentParams mapped) {
        return SegmentLease.of(this, token, mapped.own(), mapped.kept());
    }

    void releaseNow(long token) {
        write(ControlMessages.release(token));
    }

    void releaseLater(long token) {
        if (!closed) {
            LATER.execute(() -> write(ControlMessages.release(token)));
        }
    }

    private void write(Message control) {
        FrameWriter to = writer;
        if (closed || to == null) {
            return;
        }
        try {
            to.write(Frame.message(control));
        } catch (IOException gone) {
            // the connection is gone: so is every segment of it
        }
    }

    // ---- both

    /**
     * Takes a control message of the segment scheme that the reader read.
     *
     * @return whether it was one (then nobody else sees it)
     */
    boolean take(Frame frame) {
        if (frame.kind() != FrameKind.MESSAGE) {
            return false;
        }
        Message message = frame.message();
        String action = message.action();
        if (ControlMessages.RELEASE.equals(action)) {
            long token = ControlMessages.releasedToken(message);
            if (token == 0 || !lent.release(token)) {
                LOG.debug("the peer released segment '{}', which it does not hold; ignored",
                        Printable.escape(message.paramsAsString()));
            }
        } else if (ControlMessages.SEGMENTS.equals(action)) {
            // any version: this side speaks the first, which every later one includes
            peerReleases = ControlMessages.segmentsVersion(message) >= ControlMessages.SEGMENTS_VERSION;
        } else {
            return false;
        }
        FileDescriptors.closeAll(message.fileDescriptors());
        return true;
    }

    /**
     * The connection is closed: this side's segments are closed (their memory goes once the peer lets go too); the
     * peer's, which messages may still read, stay mapped until those are collected, with nobody left to release to.
     */
    @Override
    public void close() {
        closed = true;
        peerReleases = false;
        lent.close();
        kept.clear();
    }
}
