package dev.mpchannel.bench.rings;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** A plain socket round trip: the JDK's own AF_UNIX stream channels, blocking, between two threads. */
final class JdkSocket {
    /** Each task on a thread of its own: the common pool may have a single thread (2 CPUs), and these tasks block. */
    private static final Executor OWN_THREAD = task -> new Thread(task).start();
    private static final int RECORD = 64;

    private JdkSocket() {
    }

    static RingsBench.Latency roundTrip(int rounds) throws Exception {
        Path directory = Files.createTempDirectory("rings-bench-");
        Path path = directory.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (SocketChannel ping = SocketChannel.open(UnixDomainSocketAddress.of(path));
                    SocketChannel pong = server.accept()) {
                CompletableFuture<Void> ponger = CompletableFuture.runAsync(() -> echo(pong), OWN_THREAD);
                ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
                int warmUp = rounds / 5;
                long[] nanos = new long[rounds];
                for (int i = -warmUp; i < rounds; i++) {
                    long start = System.nanoTime();
                    record.clear().putLong(0, start);
                    write(ping, record);
                    read(ping, record.clear());
                    if (i >= 0) {
                        nanos[i] = System.nanoTime() - start;
                    }
                }
                ping.shutdownOutput();
                ponger.get(30, TimeUnit.SECONDS);
                return RingsBench.Latency.of(nanos);
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        }
    }

    private static void echo(SocketChannel pong) {
        ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
        try {
            while (read(pong, record.clear())) {
                write(pong, record.flip());
            }
        } catch (IOException e) {
            // the run is over
        }
    }

    private static boolean read(SocketChannel channel, ByteBuffer record) throws IOException {
        while (record.hasRemaining()) {
            if (channel.read(record) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void write(SocketChannel channel, ByteBuffer record) throws IOException {
        record.position(0).limit(RECORD);
        while (record.hasRemaining()) {
            channel.write(record);
        }
    }
}
