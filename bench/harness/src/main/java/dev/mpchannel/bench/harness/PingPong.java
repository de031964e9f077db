package dev.mpchannel.bench.harness;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The floor for any Java design: a bare ping-pong between two JVMs over a Unix domain stream socket, with the
 * least framing that works (an 8-byte header: kind and length), one write per frame, buffered reads.
 * {@code junixsocket} is what mpchannel is built on (and can pass descriptors); {@code jdk} is the JDK's own
 * {@code UnixDomainSocketAddress} SocketChannel (Java 16+, blocking, no descriptor passing).
 *
 * <pre>
 *   PingPong server junixsocket|jdk SOCKET
 *   PingPong client junixsocket|jdk SOCKET WARMUP COUNT SIZES ONEWAY_COUNT:REPS LARGE  (prints RESULT lines)
 * </pre>
 *
 * Frames: ECHO (answered with the same frame; descriptors that came with it are closed and a fresh /dev/null
 * rides back, as in the C baseline and mpchannel's bench.fd), ONEWAY (counted), SYNC (answered with the count).
 */
public final class PingPong {
    static final int ECHO = 1;
    static final int ONEWAY = 2;
    static final int SYNC = 3;
    static final int HEADER = 8;

    private PingPong() {
    }

    public static void main(String[] args) throws Exception {
        String impl = args[1];
        Path socket = Path.of(args[2]);
        if (args[0].equals("server")) {
            serve(impl, socket);
        } else {
            client(impl, socket, args);
        }
    }

    // --- a connection, either implementation -----------------------------------------------------------------------

    /** One stream connection: reads into a buffer, writes whole frames, optionally with a descriptor. */
    abstract static class Conn implements AutoCloseable {
        private byte[] in = new byte[64 * 1024];
        private int start;
        private int end;
        private byte[] out = new byte[64 * 1024];
        private byte[] payload = new byte[0];
        int kind;
        int length;

        abstract int read(byte[] b, int off, int len) throws IOException;

        abstract void write(byte[] b, int len, FileDescriptor fd) throws IOException;

        @Override
        public abstract void close() throws IOException;

        /** Closes the descriptors the latest reads brought; returns how many. */
        int closeReceived() throws IOException {
            return 0;
        }

        /** Reads the next frame's header and payload (into {@link #payload()}); false at end of stream. */
        boolean next() throws IOException {
            if (!fill(HEADER)) {
                return false;
            }
            ByteBuffer header = ByteBuffer.wrap(in, start, HEADER);
            kind = header.getInt();
            length = header.getInt();
            start += HEADER;
            if (payload.length < length) {
                payload = new byte[length];
            }
            int buffered = Math.min(end - start, length);
            System.arraycopy(in, start, payload, 0, buffered);
            start += buffered;
            for (int done = buffered; done < length;) {
                int n = read(payload, done, length - done);
                if (n < 0) {
                    throw new IOException("end of stream inside a frame");
                }
                done += n;
            }
            return true;
        }

        byte[] payload() {
            return payload;
        }

        private boolean fill(int needed) throws IOException {
            while (end - start < needed) {
                if (in.length - start < needed) {
                    System.arraycopy(in, start, in, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n = read(in, end, in.length - end);
                if (n < 0) {
                    if (end == start) {
                        return false;
                    }
                    throw new IOException("end of stream inside a header");
                }
                end += n;
            }
            return true;
        }

        void send(int frameKind, byte[] body, int bodyLength, FileDescriptor fd) throws IOException {
            if (out.length < HEADER + bodyLength) {
                out = new byte[HEADER + bodyLength];
            }
            ByteBuffer.wrap(out).putInt(frameKind).putInt(bodyLength);
            System.arraycopy(body, 0, out, HEADER, bodyLength);
            write(out, HEADER + bodyLength, fd);
        }
    }

    static final class JunixConn extends Conn {
        private static final FileDescriptor[] NONE = new FileDescriptor[0];
        private final AFUNIXSocket socket;
        private final InputStream in;
        private final OutputStream out;

        JunixConn(AFUNIXSocket socket) throws IOException {
            this.socket = socket;
            socket.setAncillaryReceiveBufferSize(1024); // before the first read, or descriptors are dropped
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        void write(byte[] b, int len, FileDescriptor fd) throws IOException {
            if (fd == null) {
                out.write(b, 0, len);
                return;
            }
            socket.setOutboundFileDescriptors(fd);
            try {
                out.write(b, 0, len);
            } finally {
                socket.setOutboundFileDescriptors(NONE);
            }
        }

        @Override
        int closeReceived() throws IOException {
            FileDescriptor[] fds = socket.getReceivedFileDescriptors();
            if (fds == null) {
                return 0;
            }
            for (FileDescriptor fd : fds) {
                new FileInputStream(fd).close();
            }
            return fds.length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final class JdkConn extends Conn {
        private final SocketChannel channel;

        JdkConn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        int read(byte[] b, int off, int len) throws IOException {
            return channel.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        void write(byte[] b, int len, FileDescriptor fd) throws IOException {
            if (fd != null) {
                throw new IOException("the JDK's SocketChannel cannot pass file descriptors");
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, 0, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // --- server ----------------------------------------------------------------------------------------------------

    private static void serve(String impl, Path socket) throws IOException {
        Files.deleteIfExists(socket);
        try (Conn conn = accept(impl, socket)) {
            long count = 0;
            while (conn.next()) {
                switch (conn.kind) {
                    case ECHO -> {
                        if (conn.closeReceived() > 0) {
                            try (FileInputStream fresh = new FileInputStream("/dev/null")) {
                                conn.send(ECHO, conn.payload(), conn.length, fresh.getFD());
                            }
                        } else {
                            conn.send(ECHO, conn.payload(), conn.length, null);
                        }
                    }
                    case ONEWAY -> count++;
                    case SYNC -> {
                        conn.send(SYNC, ByteBuffer.allocate(8).putLong(count).array(), 8, null);
                        count = 0;
                    }
                    default -> throw new IOException("unknown frame kind " + conn.kind);
                }
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static Conn accept(String impl, Path socket) throws IOException {
        if (impl.equals("junixsocket")) {
            try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
                server.bind(AFUNIXSocketAddress.of(socket.toFile()));
                System.out.println("LISTENING");
                System.out.flush();
                return new JunixConn(server.accept());
            }
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println("LISTENING");
            System.out.flush();
            return new JdkConn(server.accept());
        }
    }

    // --- client ----------------------------------------------------------------------------------------------------

    private static void client(String impl, Path socket, String[] args) throws IOException {
        int warmup = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int[] sizes = Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
        String[] oneway = args[6].split(":");
        String[] large = args[7].isEmpty() ? new String[0] : args[7].split(",");
        try (Conn conn = impl.equals("junixsocket")
                ? new JunixConn(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile())))
                : new JdkConn(SocketChannel.open(UnixDomainSocketAddress.of(socket)))) {
            for (int size : sizes) {
                roundTrips(impl, conn, "rtt-" + size, size, warmup, count, null);
            }
            if (impl.equals("junixsocket")) {
                try (FileInputStream mine = new FileInputStream("/dev/null")) {
                    for (int size : sizes) {
                        roundTrips(impl, conn, "rtt-fd-" + size, size, warmup / 2, count, mine.getFD());
                    }
                }
            }
            oneway(impl, conn, Integer.parseInt(oneway[0]), Integer.parseInt(oneway[1]));
            for (String spec : large) {
                String[] parts = spec.split(":");
                int size = Integer.parseInt(parts[0]);
                int n = Integer.parseInt(parts[1]);
                roundTrips(impl, conn, "rtt-" + size, size, Math.max(2, n / 5), n, null);
            }
        }
    }

    private static void roundTrips(String impl, Conn conn, String workload, int size, int warmup, int count,
            FileDescriptor fd) throws IOException {
        byte[] body = new byte[size];
        long[] samples = new long[count];
        for (int i = -warmup; i < count; i++) {
            long t0 = System.nanoTime();
            conn.send(ECHO, body, size, fd);
            if (!conn.next() || conn.kind != ECHO || conn.length != size) {
                throw new IOException("bad echo");
            }
            if (fd != null && conn.closeReceived() != 1) {
                throw new IOException("expected one descriptor back");
            }
            if (i >= 0) {
                samples[i] = System.nanoTime() - t0;
            }
        }
        Result.printLatency(impl, workload, samples);
    }

    private static void oneway(String impl, Conn conn, int count, int reps) throws IOException {
        byte[] body = new byte[64];
        double[] rates = new double[reps];
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                conn.send(ONEWAY, body, body.length, null);
            }
            conn.send(SYNC, body, 0, null);
            if (!conn.next() || conn.kind != SYNC || ByteBuffer.wrap(conn.payload()).getLong() != count) {
                throw new IOException("the server did not count " + count + " messages");
            }
            if (r >= 0) {
                rates[r] = count * 1e9 / (System.nanoTime() - t0);
            }
        }
        Result.printRates(impl, "oneway-64", rates);
    }
}
