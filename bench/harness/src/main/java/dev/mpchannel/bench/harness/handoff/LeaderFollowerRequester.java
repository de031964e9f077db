package dev.mpchannel.bench.harness.handoff;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Leader/follower: a reader thread waits in a {@link Selector} on the (non-blocking) channel and reads whatever comes
 * while no caller leads; a caller asks to lead, wakes the reader's selector, sends its request and, once the reader
 * has stepped aside, waits for its reply in a selector of its own on the same channel, reads it and hands reading
 * back. One caller at a time (the benchmark's single requesting thread).
 * <p>
 * Who reads is one state, every change listed here, each made by the one thread the list names:
 * <pre>
 *   FOLLOWING   -> LEAD_WANTED   caller: it wants to read its own reply (then wakes the reader's selector)
 *   LEAD_WANTED -> LEADING       reader: it saw the wish between two reads and steps aside (then parks)
 *   LEAD_WANTED -> FOLLOWING     caller: the reader read the reply and handed it over before it saw the wish
 *   LEADING     -> FOLLOWING     caller: it read its reply itself and hands reading back (then unparks the reader)
 * </pre>
 * The reader reads in FOLLOWING and LEAD_WANTED, the caller in LEADING only, and only the reader enters LEADING, after
 * its read returned: never two readers at once. A reply that arrives before the reader stepped aside (it was already
 * awake, or its select returned for the reply rather than for the wake-up) is read by the reader and handed over as
 * in {@link HandoffRequester}; the caller waits for "LEADING or my reply handed over", so neither way loses it. A
 * frame read in part stays in {@link #inbound}, which belongs to whoever reads and passes with the state (its volatile
 * writes order the buffer's bytes).
 */
final class LeaderFollowerRequester implements Requester {
    private static final int FOLLOWING = 0;
    private static final int LEAD_WANTED = 1;
    private static final int LEADING = 2;

    private final AtomicInteger state = new AtomicInteger(FOLLOWING);
    private final SocketChannel channel;
    private final Selector readerSelector;
    private final Selector callerSelector;
    private final ReplySignal signal;
    private final ByteBuffer out = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final ByteBuffer inbound = ByteBuffer.allocateDirect(EchoFrames.SIZE);
    private final Thread reader;
    // the sequence number of the latest reply the reader handed over; -1 before the first
    private volatile long replied = -1;
    private volatile IOException failure;
    private volatile boolean closed;
    // the caller's own counts (one caller): requests, and those whose reply it read itself
    private long requests;
    private long led;

    LeaderFollowerRequester(SocketChannel channel, boolean spin) throws IOException {
        this.channel = channel;
        this.signal = new ReplySignal(spin);
        channel.configureBlocking(false);
        readerSelector = Selector.open();
        callerSelector = Selector.open();
        // a channel may be registered with several selectors: each has its own epoll set
        channel.register(readerSelector, SelectionKey.OP_READ);
        channel.register(callerSelector, SelectionKey.OP_READ);
        reader = new Thread(this::follow, "leader-follower-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void follow() {
        try {
            while (!closed) {
                int now = state.get();
                if (now == LEAD_WANTED) {
                    if (state.compareAndSet(LEAD_WANTED, LEADING)) { // else the caller withdrew: read on
                        signal.signal();
                    }
                } else if (now == LEADING) {
                    LockSupport.park(this); // until handed back (or closed)
                } else {
                    readerSelector.select(); // the reply, or a caller's wake-up
                    readerSelector.selectedKeys().clear();
                    if (state.get() == FOLLOWING) { // not once a caller wants to lead: step aside first
                        long seq = readFrame();
                        if (seq >= 0) {
                            replied = seq;
                            signal.signal();
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
        if (!state.compareAndSet(FOLLOWING, LEAD_WANTED)) {
            throw new IllegalStateException("one caller at a time");
        }
        boolean leading = false;
        requests++;
        try {
            readerSelector.wakeup();
            EchoFrames.writeFully(channel, EchoFrames.request(out, seq));
            signal.await(() -> state.get() == LEADING || replied == seq || failure != null,
                    "reply to request " + seq + " or the reader stepping aside");
            if (replied == seq) { // the reader read it before it stepped aside (it may have stepped aside since)
                return seq;
            }
            if (state.get() != LEADING) {
                throw new IOException("no reply to request " + seq, failure);
            }
            leading = true;
            led++;
            return readOwnReply(seq);
        } finally {
            if (leading || !state.compareAndSet(LEAD_WANTED, FOLLOWING)) {
                state.set(FOLLOWING); // from LEADING: hand back
                LockSupport.unpark(reader);
            }
        }
    }

    private long readOwnReply(long seq) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (;;) {
            callerSelector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            callerSelector.selectedKeys().clear();
            long got = readFrame();
            if (got >= 0) {
                if (got != seq) {
                    throw new IOException("reply to request " + got + " while waiting for " + seq);
                }
                return got;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no reply to request " + seq + " within " + TIMEOUT_NANOS / 1_000_000 + " ms");
            }
        }
    }

    @Override
    public String note() {
        return "the caller read " + led + " of " + requests + " replies itself, the reader handed over the others";
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
