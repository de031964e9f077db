package dev.mpchannel.rings.internal;

import dev.mpchannel.api.Peer;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/** Makes the two sides of a pair: the opener's from new memory and doorbells, the acceptor's from what it received. */
final class PairFactory {
    private PairFactory() {
    }

    /**
     * The opener's side: its pair, and the descriptors for the peer (in {@link OpenRequest}'s order) with what holds
     * them, to close once the request is written (the kernel has then given the peer its own).
     */
    record Opened(SharedRingPair pair, List<FileDescriptor> descriptors, List<Closeable> holders) implements Closeable {
        /** Closes this side's copies of the peer's descriptors. */
        @Override
        public void close() {
            for (Closeable holder : holders) {
                try {
                    holder.close();
                } catch (IOException e) {
                    // ours to drop; the peer has its own
                }
            }
        }
    }

    static Opened open(String channel, OpenRequest request, Peer peer, BiConsumer<SharedRingPair, Boolean> onClose)
            throws IOException {
        SharedRingPair pair = new SharedRingPair(channel, request.name(), request.id(), peer, true, onClose);
        List<FileDescriptor> descriptors = new ArrayList<>();
        List<Closeable> holders = new ArrayList<>();
        List<Closeable> ours = new ArrayList<>();
        RingMemory outMemory = null;
        RingMemory inMemory = null;
        Doorbell outBell = null;
        Doorbell inBell = null;
        try {
            if (request.forward() > 0) {
                RandomAccessFile[] file = new RandomAccessFile[1];
                outMemory = RingMemory.create(request.forward(), file);
                holders.add(file[0]);
                AFUNIXSocketChannel[] peerEnd = new AFUNIXSocketChannel[1];
                outBell = Doorbell.open(peerEnd, true);
                ours.add(outBell);
                AFUNIXSocketChannel sent = peerEnd[0];
                holders.add(() -> Doorbell.dropSent(sent));
                descriptors.add(file[0].getFD());
                descriptors.add(peerEnd[0].getFileDescriptor());
            }
            if (request.backward() > 0) {
                RandomAccessFile[] file = new RandomAccessFile[1];
                inMemory = RingMemory.create(request.backward(), file);
                holders.add(file[0]);
                AFUNIXSocketChannel[] peerEnd = new AFUNIXSocketChannel[1];
                inBell = Doorbell.open(peerEnd, false);
                ours.add(inBell);
                AFUNIXSocketChannel sent = peerEnd[0];
                holders.add(() -> Doorbell.dropSent(sent));
                descriptors.add(file[0].getFD());
                descriptors.add(peerEnd[0].getFileDescriptor());
            }
        } catch (IOException | RuntimeException e) {
            new Opened(pair, descriptors, holders).close();
            new Opened(pair, descriptors, ours).close();
            if (outMemory != null) {
                outMemory.unmap();
            }
            if (inMemory != null) {
                inMemory.unmap();
            }
            throw e;
        }
        pair.attach(outMemory, outBell, inMemory, inBell);
        return new Opened(pair, descriptors, holders);
    }

    /**
     * The acceptor's side, from the request and the descriptors that came with it, all of which it closes or keeps
     * (in its pair) whatever happens.
     *
     * @throws IOException saying what is wrong with what arrived
     */
    static SharedRingPair accept(String channel, OpenRequest request, Peer peer, List<FileDescriptor> received,
            BiConsumer<SharedRingPair, Boolean> onClose) throws IOException {
        List<FileDescriptor> fds = new ArrayList<>(received);
        RingMemory inMemory = null;
        RingMemory outMemory = null;
        Doorbell inBell = null;
        Doorbell outBell = null;
        try {
            if (fds.size() != request.descriptors()) {
                throw new IOException("an open request with " + fds.size() + " descriptors, its rings need "
                        + request.descriptors());
            }
            int next = 0;
            if (request.forward() > 0) {
                inMemory = RingMemory.map(fds.set(next++, null), request.forward());
                inBell = Doorbell.of(fds.set(next++, null), false);
            }
            if (request.backward() > 0) {
                outMemory = RingMemory.map(fds.set(next++, null), request.backward());
                outBell = Doorbell.of(fds.set(next, null), true);
            }
        } catch (IOException | RuntimeException e) {
            for (FileDescriptor fd : fds) {
                closeQuietly(fd);
            }
            for (Doorbell bell : new Doorbell[] {inBell, outBell}) {
                if (bell != null) {
                    bell.close();
                }
            }
            if (inMemory != null) {
                inMemory.unmap();
            }
            if (outMemory != null) {
                outMemory.unmap();
            }
            throw e;
        }
        SharedRingPair pair = new SharedRingPair(channel, request.name(), request.id(), peer, false, onClose);
        pair.attach(outMemory, outBell, inMemory, inBell);
        return pair;
    }

    private static void closeQuietly(FileDescriptor fd) {
        if (fd != null && fd.valid()) {
            try {
                new FileInputStream(fd).close();
            } catch (IOException e) {
                // closing what a peer sent: nothing more to do
            }
        }
    }
}
