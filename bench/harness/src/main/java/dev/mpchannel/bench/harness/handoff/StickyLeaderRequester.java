package dev.mpchannel.bench.harness.handoff;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The sticky leader: a caller reads its own reply, as a leader of {@link LeaderFollowerRequester} does, and keeps the
 * reading for a grace period after it, so that a request that follows within the grace reads its reply with no
 * wake-up of the reading thread. The reading thread waits in a {@link Selector} on the (non-blocking) channel while it
 * reads; while a caller holds the reading it parks, timed, and takes the reading back once a grace has passed since
 * the last request, then reads whatever came meanwhile. A frame that arrives while no caller is in a request waits at
 * most the grace (and the timer's slack) for a reader; the price is a timed wake-up of the reading thread per grace
 * while requests follow one another, and one per idle gap. One caller at a time (the benchmark's single requesting
 * thread).
 * <p>
 * Who reads is one state, every change listed here, each made by the one thread the list names:
 * <pre>
 *   READING     -> LEAD_WANTED   caller: it wants to read its own reply (then wakes the reader's selector)
 *   LEAD_WANTED -> LEADING       reader: it saw the wish between two reads and steps aside (then parks, timed)
 *   LEAD_WANTED -> READING       caller: the reader read the reply and handed it over before it saw the wish
 *   LEADING     -> KEPT          caller: it has its reply (or gave up) and keeps the reading for the grace
 *   KEPT        -> LEADING       caller: its next request came before the reader took the reading back
 *   KEPT        -> READING       reader: a timed wake-up found a grace passed since the last request
 * </pre>
 * The reader reads in READING and LEAD_WANTED, the caller in LEADING only, nobody in KEPT. Only the reader leaves
 * LEAD_WANTED for LEADING, after its read returned, and both ways out of KEPT are compare-and-sets, so of a caller and
 * the reader that race for it one wins: never two readers at once. A frame read in part stays in {@link #inbound},
 * which belongs to whoever reads and passes with the state (its volatile writes order the buffer's bytes). Whoever
 * reads a whole frame routes it, once: the reply the caller waits for (by sequence number) to the caller, any other
 * frame to {@code unsolicited} (on the thread that read it).
 */
final class StickyLeaderRequester implements Requester {
    private static final int READING = 0;
    private static final int LEAD_WANTED = 1;
    private static final int LEADING = 2;
    private static final int KEPT = 3;

    private final AtomicInteger state = new AtomicInteger(READING);
    private final SocketChannel channel;
    private final Selector readerSelector;
    private final Selector callerSelector;
    private final ReplySignal signal;
    private final long spinNanos;
    private final long graceNanos;
    private final LongConsumer unsolicited;
    private final ByteBuffer out = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final ByteBuffer inbound = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final Thread reader;
    // the sequence number of the reply the caller waits for; -1 between requests
    private volatile long awaiting = -1;
    // the sequence number of the latest reply the reader handed over; -1 before the first
    private volatile long replied = -1;
    // when the caller last moved to KEPT (System.nanoTime)
    private volatile long keptSince;
    private volatile IOException failure;
    private volatile boolean closed;
    private final AtomicLong unsolicitedFrames = new AtomicLong();
    // the caller's own counts (one caller): requests; replies read while it kept the reading, after the reader stood
    // aside, handed over by the reader
    private long requests;
    private long kept;
    private long stoodAside;
    private long handedOver;
    // the reader's own counts: the times it took the reading back, its timed wake-ups while a caller held it
    private volatile long takenBack;
    private volatile long wakeUps;

    /**
     * @param spin        the caller polls the channel up to 50 µs (only with more than one CPU) before it waits in its
     *                    selector, and spins as long before it parks while the reader steps aside
     * @param graceNanos  how long a caller keeps the reading after its request
     * @param unsolicited gets every frame that is not the reply a caller waits for
     */
    StickyLeaderRequester(SocketChannel channel, boolean spin, long graceNanos, LongConsumer unsolicited)
            throws IOException {
        if (graceNanos <= 0) {
            throw new IllegalArgumentException("the grace must be positive, not " + graceNanos + " ns");
        }
        this.channel = channel;
        this.signal = new ReplySignal(spin);
        this.spinNanos = ReplySignal.spinNanos(spin);
        this.graceNanos = graceNanos;
        this.unsolicited = unsolicited;
        channel.configureBlocking(false);
        readerSelector = Selector.open();
        callerSelector = Selector.open();
        // a channel may be registered with several selectors: each has its own epoll set
        channel.register(readerSelector, SelectionKey.OP_READ);
        channel.register(callerSelector, SelectionKey.OP_READ);
        reader = new Thread(this::read, "sticky-leader-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!closed) {
                switch (state.get()) {
                    case READING -> {
                        readerSelector.select(); // a frame, or a caller's wake-up
                        readerSelector.selectedKeys().clear();
                        if (state.get() == READING) { // not once a caller wants to lead: step aside first
                            long seq = readFrame();
                            if (seq >= 0) {
                                route(seq);
                            }
                        }
                    }
                    case LEAD_WANTED -> {
                        if (state.compareAndSet(LEAD_WANTED, LEADING)) { // else the caller withdrew: read on
                            signal.signal();
                        }
                    }
                    case LEADING -> { // a caller reads: look again a grace later
                        LockSupport.parkNanos(this, graceNanos);
                        wakeUps++;
                    }
                    default -> { // KEPT: the reading is back once a grace has passed since the last request
                        long left = keptSince + graceNanos - System.nanoTime();
                        if (left > 0) {
                            LockSupport.parkNanos(this, left);
                            wakeUps++;
                        } else if (state.compareAndSet(KEPT, READING)) {
                            takenBack++;
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
        }
        signal.signal();
    }

    /** A whole frame the reader read: the awaited reply to the caller, anything else to {@code unsolicited}. */
    private void route(long seq) {
        if (seq == awaiting) {
            replied = seq;
            signal.signal();
        } else {
            unsolicited(seq);
        }
    }

    private void unsolicited(long seq) {
        unsolicitedFrames.incrementAndGet();
        unsolicited.accept(seq);
    }

    /** Reads what the channel has into {@link #inbound}; a whole frame's sequence number, or -1 for none yet. */
    private long readFrame() throws IOException {
        if (channel.read(inbound) < 0) {
            throw new EOFException("the echo server closed the connection");
        }
        if (inbound.hasRemaining()) {
            return -1;
        }
        long seq = inbound.getLong(0);
        inbound.clear();
        return seq;
    }

    @Override
    public long request(long seq) throws IOException {
        requests++;
        awaiting = seq;
        if (state.compareAndSet(KEPT, LEADING)) { // within the grace: the reading is still this caller's
            try {
                EchoFrames.writeFully(channel, EchoFrames.request(out, seq));
                long got = readOwnReply(seq);
                kept++;
                return got;
            } finally {
                keep();
            }
        }
        if (!state.compareAndSet(READING, LEAD_WANTED)) {
            throw new IllegalStateException("one caller at a time");
        }
        try {
            readerSelector.wakeup();
            EchoFrames.writeFully(channel, EchoFrames.request(out, seq));
            signal.await(() -> state.get() == LEADING || replied == seq || failure != null,
                    "reply to request " + seq + " or the reader stepping aside");
            if (replied == seq) { // the reader read it before it stepped aside (it may have stepped aside since)
                handedOver++;
                return seq;
            }
            if (state.get() != LEADING) {
                throw new IOException("no reply to request " + seq, failure);
            }
            long got = readOwnReply(seq);
            stoodAside++;
            return got;
        } finally {
            if (!state.compareAndSet(LEAD_WANTED, READING)) { // the reader stood aside: the reading is this caller's
                keep();
            } else {
                awaiting = -1;
            }
        }
    }

    /** LEADING -> KEPT: the caller keeps the reading; the reader takes it back a grace later unless a request came. */
    private void keep() {
        awaiting = -1;
        keptSince = System.nanoTime();
        state.set(KEPT);
    }

    /** Reads in LEADING until the reply to {@code seq}; whatever else comes first goes to {@code unsolicited}. */
    private long readOwnReply(long seq) throws IOException {
        long start = System.nanoTime();
        long deadline = start + TIMEOUT_NANOS;
        for (;;) {
            long got = readFrame();
            if (got == seq) {
                return got;
            }
            if (got >= 0) {
                unsolicited(got);
                continue;
            }
            long now = System.nanoTime();
            if (now - start < spinNanos) {
                Thread.onSpinWait();
                continue;
            }
            if (now > deadline) {
                throw new IOException("no reply to request " + seq + " within " + TIMEOUT_NANOS / 1_000_000 + " ms");
            }
            callerSelector.select(Math.max(1, (deadline - now) / 1_000_000));
            callerSelector.selectedKeys().clear();
        }
    }

    /** How many times the reader took the reading back after a grace with no request. */
    long takenBack() {
        return takenBack;
    }

    @Override
    public String note() {
        return "the caller read " + kept + " of " + requests + " replies while it kept the reading, " + stoodAside
                + " after the reader stood aside, the reader handed over " + handedOver + "; the reader took the "
                + "reading back " + takenBack + " times and woke " + wakeUps + " times while a caller held it; "
                + unsolicitedFrames.get() + " frames no request waited for";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        readerSelector.wakeup();
        LockSupport.unpark(reader);
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (channel; readerSelector; callerSelector) {
            // closed in reverse order: the channel last, once no selector holds it
        }
    }
}
