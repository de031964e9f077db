package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This side's hold on a peer's segment that a received message reads: released, once, either when the channel knows
 * that nothing reads the message's parameters any more (an action that declared it reads them only while it runs;
 * {@code Replies.close()}), or else when the garbage collector finds the mapping unreachable, every view of it
 * included (each message has a mapping of its own, and every buffer sliced from it keeps it reachable). Whichever
 * comes first sends the release; the peer may then write into that segment again.
 * <p>
 * A consumer that releases explicitly may read the segment through the connection's long-lived mapping instead
 * ({@link #scoped}): no mapping and no page fault per message. The collector then cannot tell when it is done (that
 * mapping stays reachable), so such a message is released only on purpose.
 */
public final class SegmentLease {
    /** The collector's thread, started with the first lease (a process that never gets a segment has none). */
    private static final class Collector {
        static final Cleaner CLEANER = Cleaner.create(runnable -> {
            Thread thread = new Thread(runnable, "mpchannel-segment-cleaner");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
    }

    /**
     * The leases of messages not yet released, by the message's identity hash (its equals compares bytes); two live
     * messages may share one, so each hash holds a list, searched by identity.
     */
    private static final Map<Integer, List<SegmentLease>> BY_MESSAGE = new ConcurrentHashMap<>();

    private final SharedSegments from;
    private final long token;
    private final ByteBuffer kept; // the whole segment as the connection keeps it mapped, or null
    private final int length;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean scoped; // read through the kept mapping: released on purpose only
    private volatile WeakReference<Message> message;
    private volatile int key; // the message's identity hash, under which BY_MESSAGE holds this
    private volatile Cleaner.Cleanable cleanable;

    private SegmentLease(SharedSegments from, long token, ByteBuffer kept, int length) {
        this.from = from;
        this.token = token;
        this.kept = kept;
        this.length = length;
    }

    /**
     * The lease of {@code own}, the message's own mapping of a segment lent by the peer of {@code from} under
     * {@code token}; {@code kept} is the connection's mapping of the whole segment, or {@code null}.
     */
    static SegmentLease of(SharedSegments from, long token, ByteBuffer own, ByteBuffer kept) {
        SegmentLease lease = new SegmentLease(from, token, kept, own.capacity());
        lease.cleanable = Collector.CLEANER.register(own, lease::collected);
        return lease;
    }

    /**
     * {@code held} with its parameters read through the connection's kept mapping of the segment, for a consumer that
     * releases them on purpose once done ({@link #release(Message)}); {@code held} itself when there is none. From
     * then on the collector no longer releases the segment: only the release on purpose does.
     */
    Message scoped(Message held) {
        if (kept == null || released.get()) {
            return held;
        }
        Message view = Message.of(held.action(), kept.duplicate().position(0).limit(length));
        if (!held.fileDescriptors().isEmpty()) {
            view = view.withFileDescriptors(held.fileDescriptors());
        }
        scoped = true;
        forget();
        heldBy(view);
        return view;
    }

    /** Ties the lease to the message that reads the mapping, so that {@link #release(Message)} finds it. */
    void heldBy(Message held) {
        heldBy(held, System.identityHashCode(held));
    }

    /** As {@link #heldBy(Message)}, under {@code key} (tests give two messages the same one). */
    void heldBy(Message held, int key) {
        message = new WeakReference<>(held);
        this.key = key;
        BY_MESSAGE.compute(key, (k, leases) -> {
            List<SegmentLease> kept = new ArrayList<>(leases == null ? 1 : leases.size() + 1);
            if (leases != null) {
                for (SegmentLease lease : leases) {
                    if (!lease.isFor(null)) { // one whose message was collected is released by the collector
                        kept.add(lease);
                    }
                }
            }
            kept.add(this);
            return kept;
        });
        if (released.get()) {
            forget();
        }
    }

    /**
     * Releases the segment {@code message} reads, if it came in one and is not released yet: whoever calls this
     * promises that nothing reads the message's parameters any more (buffers taken from it included).
     */
    public static void release(Message message) {
        if (message != null) {
            release(message, System.identityHashCode(message));
        }
    }

    /** As {@link #release(Message)}, for a message held under {@code key}. */
    static void release(Message message, int key) {
        List<SegmentLease> leases = BY_MESSAGE.get(key);
        if (leases == null) {
            return;
        }
        for (SegmentLease lease : leases) {
            if (lease.isFor(message)) {
                lease.release();
                return;
            }
        }
    }

    private boolean isFor(Message candidate) {
        WeakReference<Message> held = message;
        return held != null && held.get() == candidate;
    }

    /** Released on purpose: the release is written on this thread; the cleaner has nothing left to do. */
    void release() {
        if (released.compareAndSet(false, true)) {
            forget();
            from.releaseNow(token);
        }
        Cleaner.Cleanable registered = cleanable;
        if (registered != null) {
            registered.clean(); // deregisters; collected() then finds it released
        }
    }

    /** The mapping was collected: the release goes out from a thread of its own (this is the cleaner's). */
    private void collected() {
        if (!scoped && released.compareAndSet(false, true)) {
            forget();
            from.releaseLater(token);
        }
    }

    private void forget() {
        if (message == null) {
            return; // never held: not in BY_MESSAGE
        }
        BY_MESSAGE.computeIfPresent(key, (k, leases) -> {
            List<SegmentLease> kept = new ArrayList<>(leases);
            kept.remove(this);
            return kept.isEmpty() ? null : kept;
        });
    }

    boolean isReleased() {
        return released.get();
    }
}
