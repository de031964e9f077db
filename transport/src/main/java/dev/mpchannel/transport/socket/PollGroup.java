package dev.mpchannel.transport.socket;

import java.io.FileDescriptor;
import java.io.IOException;

/**
 * What one thread needs to wait for many connections at once: {@link Readiness#poll} over their descriptors, in
 * slices of {@value #SLICE_MILLIS} ms, so that another thread can end the wait ({@link #wake()}: a connection added
 * or closed; closing a descriptor does not wake a {@code poll} on it) within a slice.
 * <p>
 * Why slices and not a wake-up descriptor polled beside the others: Java makes no pipe or eventfd whose descriptor
 * it hands out, and junixsocket 2.11.1's socket pairs leave two descriptors open per pair after both ends are
 * closed. A slice costs one {@code poll} of the group every {@value #SLICE_MILLIS} ms while nothing happens.
 */
public final class PollGroup {
    /** How long a wait lasts at most before it looks whether it was woken. */
    static final int SLICE_MILLIS = 10;

    private volatile boolean woken;

    private PollGroup() {
    }

    /** @throws IOException if junixsocket's poll is not reachable ({@link Readiness#why()}) */
    public static PollGroup open() throws IOException {
        if (!Readiness.available()) {
            throw new IOException(Readiness.why());
        }
        return new PollGroup();
    }

    /**
     * Waits until one of {@code fds} is readable or {@link #wake()} is called (since the last wait).
     *
     * @param readable set for each of {@code fds}: whether a read now returns without blocking
     */
    public void await(FileDescriptor[] fds, boolean[] readable) throws IOException {
        java.util.Arrays.fill(readable, false); // woken before any poll: nothing is known to be readable
        while (!woken) {
            if (Readiness.poll(fds, readable, SLICE_MILLIS) > 0) {
                break;
            }
        }
        woken = false;
    }

    /** Makes the current or next {@link #await} return within a slice. */
    public void wake() {
        woken = true;
    }
}
