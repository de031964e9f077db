package dev.mpchannel.bench.harness;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.HdrHistogram.Histogram;
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
 *   PingPong client junixsocket|jdk SOCKET WARMUP COUNT SIZES ONEWAY_COUNT:REPS LARGE [SERVER_PID]
 * </pre>
 * The client prints a HIST line per latency (HdrHistogram), a RESULT line per throughput and, given the server's
 * pid, a CTXSW line per round-trip and one-way workload (both processes' context switches, see {@link Result}).
 *
 * Frames ({@link FramedConnection}): ECHO (answered with the same frame; descriptors that came with it are closed
 * and a fresh /dev/null rides back, as in the C baseline and mpchannel's bench.fd), ONEWAY (counted), SYNC (answered
 * with the count).
 */
public final class PingPong {
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

    // --- server ----------------------------------------------------------------------------------------------------

    private static void serve(String impl, Path socket) throws IOException {
        Files.deleteIfExists(socket);
        try (FramedConnection conn = accept(impl, socket)) {
            long count = 0;
            while (conn.next()) {
                switch (conn.kind) {
                    case FramedConnection.ECHO -> {
                        if (conn.closeReceived() > 0) {
                            try (FileInputStream fresh = new FileInputStream("/dev/null")) {
                                conn.send(FramedConnection.ECHO, conn.payload(), conn.length, fresh.getFD());
                            }
                        } else {
                            conn.send(FramedConnection.ECHO, conn.payload(), conn.length, null);
                        }
                    }
                    case FramedConnection.ONEWAY -> count++;
                    case FramedConnection.SYNC -> {
                        conn.send(FramedConnection.SYNC, ByteBuffer.allocate(8).putLong(count).array(), 8, null);
                        count = 0;
                    }
                    default -> throw new IOException("unknown frame kind " + conn.kind);
                }
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static FramedConnection accept(String impl, Path socket) throws IOException {
        if (impl.equals("junixsocket")) {
            try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
                server.bind(AFUNIXSocketAddress.of(socket.toFile()));
                System.out.println("LISTENING");
                System.out.flush();
                return new JunixsocketConnection(server.accept());
            }
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println("LISTENING");
            System.out.flush();
            return new JdkSocketConnection(server.accept());
        }
    }

    // --- client ----------------------------------------------------------------------------------------------------

    private static void client(String impl, Path socket, String[] args) throws IOException {
        int warmup = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int[] sizes = Arrays.stream(args[5].split(",")).mapToInt(Integer::parseInt).toArray();
        String[] oneway = args[6].split(":");
        String[] large = args[7].isEmpty() ? new String[0] : args[7].split(",");
        long server = args.length > 8 ? Long.parseLong(args[8]) : 0;
        try (FramedConnection conn = impl.equals("junixsocket")
                ? new JunixsocketConnection(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile())))
                : new JdkSocketConnection(SocketChannel.open(UnixDomainSocketAddress.of(socket)))) {
            for (int size : sizes) {
                roundTrips(impl, conn, "rtt-" + size, size, warmup, count, null, server);
            }
            if (impl.equals("junixsocket")) {
                try (FileInputStream mine = new FileInputStream("/dev/null")) {
                    for (int size : sizes) {
                        roundTrips(impl, conn, "rtt-fd-" + size, size, warmup / 2, count, mine.getFD(), server);
                    }
                }
            }
            oneway(impl, conn, Integer.parseInt(oneway[0]), Integer.parseInt(oneway[1]), server);
            for (String spec : large) {
                String[] parts = spec.split(":");
                int size = Integer.parseInt(parts[0]);
                int n = Integer.parseInt(parts[1]);
                roundTrips(impl, conn, "rtt-" + size, size, Math.max(2, n / 5), n, null, 0);
            }
        }
    }

    private static void roundTrips(String impl, FramedConnection conn, String workload, int size, int warmup, int count,
            FileDescriptor fd, long server) throws IOException {
        byte[] body = new byte[size];
        Histogram samples = Result.newHistogram();
        long self = ProcessHandle.current().pid();
        ContextSwitches selfBefore = null;
        ContextSwitches serverBefore = null;
        for (int i = -warmup; i < count; i++) {
            if (i == 0 && server > 0) {
                selfBefore = ContextSwitches.of(self);
                serverBefore = ContextSwitches.of(server);
            }
            long t0 = System.nanoTime();
            conn.send(FramedConnection.ECHO, body, size, fd);
            if (!conn.next() || conn.kind != FramedConnection.ECHO || conn.length != size) {
                throw new IOException("bad echo");
            }
            if (fd != null && conn.closeReceived() != 1) {
                throw new IOException("expected one descriptor back");
            }
            if (i >= 0) {
                samples.recordValue(System.nanoTime() - t0);
            }
        }
        if (selfBefore != null) {
            Result.printSwitches(impl, workload, ContextSwitches.between(count, selfBefore, ContextSwitches.of(self),
                    serverBefore, ContextSwitches.of(server)));
        }
        Result.printLatency(impl, workload, samples);
    }

    private static void oneway(String impl, FramedConnection conn, int count, int reps, long server)
            throws IOException {
        byte[] body = new byte[64];
        double[] rates = new double[reps];
        long self = ProcessHandle.current().pid();
        ContextSwitches selfBefore = null;
        ContextSwitches serverBefore = null;
        for (int r = -1; r < reps; r++) {
            if (r == 0 && server > 0) {
                selfBefore = ContextSwitches.of(self);
                serverBefore = ContextSwitches.of(server);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                conn.send(FramedConnection.ONEWAY, body, body.length, null);
            }
            conn.send(FramedConnection.SYNC, body, 0, null);
            if (!conn.next() || conn.kind != FramedConnection.SYNC
                    || ByteBuffer.wrap(conn.payload()).getLong() != count) {
                throw new IOException("the server did not count " + count + " messages");
            }
            if (r >= 0) {
                rates[r] = count * 1e9 / (System.nanoTime() - t0);
            }
        }
        if (selfBefore != null) {
            Result.printSwitches(impl, "oneway-64", ContextSwitches.between((long) count * reps, selfBefore,
                    ContextSwitches.of(self), serverBefore, ContextSwitches.of(server)));
        }
        Result.printRates(impl, "oneway-64", rates);
    }
}
