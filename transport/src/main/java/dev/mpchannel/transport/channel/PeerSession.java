package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
import dev.mpchannel.transport.socket.Connection;
import dev.mpchannel.transport.socket.FrameRefusedException;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected peer as the channel sees it: its connection, the thread that reads it, the queue its actions run
 * through, its counters, and what completes when it is gone.
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
    private final Thread reader;

    PeerSession(Connection connection, SerialExecutor inbox, ActionTraffic actionTraffic, Duration writeTimeout,
            Inbound inbound) {
        this.connection = connection;
        this.inbox = inbox;
        this.actionTraffic = actionTraffic;
        this.writeTimeout = writeTimeout;
        this.reader = new Thread(() -> readUntilGone(inbound), "mpchannel-read-" + connection.peer());
        reader.setDaemon(true);
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
        reader.start();
    }

    /** Writes a frame and counts it; a failed write drops the peer (its reader then reports it gone). */
    void write(Frame frame) throws IOException {
        write(List.of(frame));
    }

    /** Writes the frames in their order, in as few system calls as the wire allows, and counts them. */
    void write(List<Frame> frames) throws IOException {
        try {
            connection.write(frames);
        } catch (FrameRefusedException e) {
            throw e; // nothing was written: the peer is fine
        } catch (SocketTimeoutException e) {
            traffic.error();
            LOG.warn("{} stopped reading: a write made no progress for {} ms (write.timeout.ms); disconnecting it",
                    peer(), writeTimeout.toMillis());
            connection.close();
            throw new SocketTimeoutException(peer() + " stopped reading (no progress for " + writeTimeout.toMillis()
                    + " ms); disconnected");
        } catch (IOException e) {
            traffic.error();
            LOG.debug("writing to {} failed, dropping it: {}", peer(), e.toString());
            connection.close();
            throw e;
        }
        count(frames, true);
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

    /** Waits a little for the reader to end (after {@link #close}). */
    void awaitReader(long millis) throws InterruptedException {
        reader.join(millis);
    }

    private void readUntilGone(Inbound inbound) {
        String why = "closed the connection";
        boolean reported = false;
        try {
            List<Frame> frames;
            while (!(frames = connection.readAvailable()).isEmpty()) {
                count(frames, false);
                inbound.received(this, frames);
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
            connection.close();
            connection.releaseReceived();
            inbound.gone(this, why);
            if (!reported) {
                LOG.info("{} {}", peer(), why);
            }
            gone.complete(null);
        }
    }
}
