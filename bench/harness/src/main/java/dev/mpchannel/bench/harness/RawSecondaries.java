package dev.mpchannel.bench.harness;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lightweight secondaries for the scale workload: one JVM holding N connections to the primary that speak the wire
 * format of docs/protocol.md and answer every request with a reply carrying the same name and parameters (what
 * {@code bench.echo} does). One selector thread serves all N, so a thousand secondaries cost a few processes rather
 * than a thousand JVMs; to the primary they are ordinary secondaries (its per-peer costs are what is measured).
 * Messages are read and dropped; no descriptors are used.
 *
 * <pre>  RawSecondaries SOCKET N</pre>
 */
public final class RawSecondaries {
    static final int HEADER = 20;
    static final int KIND_REQUEST = 2;
    static final int KIND_REPLY = 3;

    private RawSecondaries() {
    }

    /** One connection's read buffer. */
    private static final class Peer {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(4096);

        Peer(SocketChannel channel) {
            this.channel = channel;
        }
    }

    public static void main(String[] args) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // blocking connect: waits while the primary's accept backlog is full instead of failing
            SocketChannel channel = SocketChannel.open(address);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Peer(channel));
            channels.add(channel);
        }
        System.out.println("CONNECTED " + n);
        System.out.flush();
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                Peer peer = (Peer) key.attachment();
                if (!serve(peer)) {
                    key.cancel();
                    peer.channel.close();
                    channels.remove(peer.channel);
                    if (channels.isEmpty()) {
                        return; // the primary went away
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Reads what is there and answers each complete request; false when the primary closed the connection. */
    private static boolean serve(Peer peer) throws IOException {
        int n = peer.channel.read(peer.in);
        if (n < 0) {
            return false;
        }
        ByteBuffer in = peer.in;
        in.flip();
        while (in.remaining() >= HEADER) {
            int at = in.position();
            in.order(ByteOrder.BIG_ENDIAN);
            int kind = in.get(at + 3) & 0xff;
            int nameLength = in.get(at + 4) & 0xff;
            long requestId = in.getLong(at + 8);
            int paramsLength = in.getInt(at + 16);
            int total = HEADER + nameLength + paramsLength;
            if (in.remaining() < total) {
                if (in.capacity() < total) { // grow for a large frame
                    ByteBuffer bigger = ByteBuffer.allocate(total);
                    bigger.put(in);
                    bigger.flip();
                    peer.in = in = bigger;
                }
                break;
            }
            if (kind == KIND_REQUEST) {
                ByteBuffer reply = ByteBuffer.allocate(total);
                reply.put(in.duplicate().limit(at + total)); // same header and body ...
                reply.put(3, (byte) KIND_REPLY); // ... as a reply to the same request id
                reply.putLong(8, requestId);
                reply.flip();
                while (reply.hasRemaining()) {
                    if (peer.channel.write(reply) == 0) {
                        Thread.onSpinWait(); // the primary drains its sockets on reader threads: brief
                    }
                }
            }
            in.position(at + total);
        }
        in.compact();
        return true;
    }
}
