package dev.mpchannel.transport.channel.peer;

import dev.mpchannel.transport.socket.PollGroup;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads many peers from one thread ({@code read.threads}, {@link Pollers}): it waits until any of them has sent something, reads what
 * arrived without blocking, and hands the whole frames on as a peer's reading thread would; so one wake-up serves
 * every peer that is ready, and an idle peer costs no thread. The frames' actions go to the action threads (this
 * thread never runs an action, never waits for room and never writes: one slow peer must not hold up the others).
 * <p>
 * A peer leaves the poller for a reading thread of its own while it needs one: a frame too large for the read buffer
 * (a blocking read completes it), or a queue over {@code queue.depth} (its reading then pauses, as any reader's
 * does). That thread gives the peer back once it has read everything that had arrived.
 */
public final class PeerPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerPoller.class);

    private final PollGroup group;
    private final Thread thread;
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean changed;
    private volatile boolean closed;

    /** What the poller does with a peer after reading it. */
    enum AfterPoll {
        /** Polls it again. */
        POLL,
        /**
         * Lets go of it, then starts a reading thread for it ({@link PeerSession#startReading()}), until it has caught
         * up.
         */
        THREAD,
        /** Lets go of it: it is gone. */
        GONE
    }

    private PeerPoller(PollGroup group, String name) {
        this.group = group;
        this.thread = new Thread(this::pollPeers, "mpchannel-poll-" + name);
        thread.setDaemon(true);
        thread.setContextClassLoader(PeerPoller.class.getClassLoader());
    }

    /**
     * Starts a poller for the channel {@code name}.
     *
     * @throws IOException if this platform's poll cannot be reached (the channel then gives every peer a thread)
     */
    public static PeerPoller start(String name) throws IOException {
        PeerPoller poller = new PeerPoller(PollGroup.open(), name);
        poller.thread.start();
        return poller;
    }

    /** Takes over the reading of {@code session}, which no thread reads now. */
    void add(PeerSession session) {
        sessions.add(session);
        changed = true;
        group.wake();
    }

    /** Something of a peer changed that the poller must look at now (it was closed). */
    void wake() {
        group.wake();
    }

    /** How many peers it reads (for tests and the status). */
    public int peers() {
        return sessions.size();
    }

    /**
     * Stops polling. Peers it still held (their connections closed by then) end as if they had gone: their leftovers
     * released, their departure reported.
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        group.wake();
        thread.join(2000);
        for (PeerSession session : sessions) {
            session.endPolled();
        }
        sessions.clear();
    }

    private void pollPeers() {
        PeerSession[] polled = new PeerSession[0];
        FileDescriptor[] fds = new FileDescriptor[0];
        boolean[] readable = new boolean[0];
        while (!closed) {
            if (changed) {
                changed = false;
                List<PeerSession> current = new ArrayList<>(sessions.size());
                List<FileDescriptor> descriptors = new ArrayList<>(sessions.size());
                for (PeerSession session : sessions) {
                    FileDescriptor fd = session.readinessDescriptor();
                    if (fd == null) { // closed meanwhile
                        sessions.remove(session);
                        session.endPolled();
                    } else {
                        current.add(session);
                        descriptors.add(fd);
                    }
                }
                polled = current.toArray(new PeerSession[0]);
                fds = descriptors.toArray(new FileDescriptor[0]);
                readable = new boolean[polled.length];
            }
            if (dropClosed(polled)) {
                continue;
            }
            try {
                group.await(fds, readable);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.error("waiting for peers failed; they are disconnected: {}", e.toString());
                for (PeerSession session : polled) {
                    session.close();
                }
                changed = true;
                continue;
            }
            for (int i = 0; i < polled.length; i++) {
                if (readable[i]) {
                    AfterPoll next = polled[i].readPolled();
                    if (next != AfterPoll.POLL) {
                        sessions.remove(polled[i]); // first: the thread may give the peer back at once
                        changed = true;
                    }
                    if (next == AfterPoll.THREAD) {
                        polled[i].startReading();
                    }
                }
            }
        }
    }

    /** Ends the sessions closed since the last look; whether there were some. */
    private boolean dropClosed(PeerSession[] polled) {
        boolean dropped = false;
        for (PeerSession session : polled) {
            if (!session.isOpen() && sessions.remove(session)) {
                session.endPolled();
                dropped = true;
            }
        }
        changed |= dropped;
        return dropped;
    }
}
