package dev.mpchannel.bench.rings;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron IPC, the anchor: an embedded media driver (shared threading, backing off when idle: on IPC the data does not
 * pass through it), {@code aeron:ipc} streams, exclusive publications, busy-spinning subscribers, in the shape of
 * Aeron's Ping/Pong samples.
 */
final class AeronIpc {
    /** Each task on a thread of its own: the common pool may have a single thread (2 CPUs), and these tasks block. */
    private static final Executor OWN_THREAD = task -> new Thread(task).start();
    private static final String CHANNEL = "aeron:ipc";
    private static final int PING = 1001;
    private static final int PONG = 1002;
    private static final int RECORD = 64;

    private AeronIpc() {
    }

    static RingsBench.Latency roundTrip(int rounds) throws Exception {
        try (MediaDriver driver = launch(); Aeron aeron = connect(driver);
                ExclusivePublication ping = aeron.addExclusivePublication(CHANNEL, PING);
                Subscription pingIn = aeron.addSubscription(CHANNEL, PING);
                ExclusivePublication pong = aeron.addExclusivePublication(CHANNEL, PONG);
                Subscription pongIn = aeron.addSubscription(CHANNEL, PONG)) {
            awaitConnected(ping, pingIn, pong, pongIn);
            AtomicBoolean running = new AtomicBoolean(true);
            FragmentHandler echo = (buffer, offset, length, header) -> {
                while (pong.offer(buffer, offset, length) < 0) {
                    Thread.onSpinWait();
                }
            };
            CompletableFuture<Void> ponger = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    if (pingIn.poll(echo, 16) == 0) {
                        Thread.onSpinWait();
                    }
                }
            }, OWN_THREAD);
            UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(RECORD));
            int[] got = {0};
            FragmentHandler back = (buffer, offset, length, header) -> got[0]++;
            int warmUp = rounds / 5;
            long[] nanos = new long[rounds];
            for (int i = -warmUp; i < rounds; i++) {
                long start = System.nanoTime();
                record.putLong(0, start);
                while (ping.offer(record, 0, RECORD) < 0) {
                    Thread.onSpinWait();
                }
                got[0] = 0;
                while (got[0] == 0) {
                    if (pongIn.poll(back, 1) == 0) {
                        Thread.onSpinWait();
                    }
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            running.set(false);
            ponger.get(30, TimeUnit.SECONDS);
            return RingsBench.Latency.of(nanos);
        }
    }

    static double oneWay(int records) throws Exception {
        try (MediaDriver driver = launch(); Aeron aeron = connect(driver);
                ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL, PING);
                Subscription subscription = aeron.addSubscription(CHANNEL, PING)) {
            awaitConnected(publication, subscription);
            long[] read = {0};
            FragmentHandler count = (buffer, offset, length, header) -> read[0]++;
            long start = System.nanoTime();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(RECORD));
                for (int i = 0; i < records; i++) {
                    record.putLong(0, i);
                    while (publication.offer(record, 0, RECORD) < 0) {
                        Thread.onSpinWait();
                    }
                }
            }, OWN_THREAD);
            while (read[0] < records) {
                if (subscription.poll(count, 1024) == 0) {
                    Thread.onSpinWait();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            writer.get(30, TimeUnit.SECONDS);
            return records / seconds;
        }
    }

    /** Messages per second through a publication offered to and polled by the same thread, as {@code RingRuns.oneThread}. */
    static double oneThread(int records, int size) throws Exception {
        try (MediaDriver driver = launch(); Aeron aeron = connect(driver);
                ExclusivePublication publication = aeron.addExclusivePublication(CHANNEL + "?term-length=16m", PING);
                Subscription subscription = aeron.addSubscription(CHANNEL, PING)) {
            awaitConnected(publication, subscription);
            long[] sum = {0};
            FragmentHandler read = (buffer, offset, length, header) -> sum[0] += buffer.getLong(offset);
            UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            int warmUp = records / 5 + 1;
            long start = 0;
            for (int i = -warmUp; i < records; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                }
                record.putLong(0, i);
                while (publication.offer(record, 0, size) < 0) {
                    subscription.poll(read, 16);
                }
                while (subscription.poll(read, 1) == 0) {
                    Thread.onSpinWait();
                }
            }
            return records / ((System.nanoTime() - start) / 1e9) + (sum[0] == 42 ? 1e-9 : 0);
        }
    }

    private static MediaDriver launch() {
        return MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
    }

    private static Aeron connect(MediaDriver driver) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
    }

    private static void awaitConnected(Object... ends) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Object end : ends) {
            while (!(end instanceof ExclusivePublication p ? p.isConnected() : ((Subscription) end).isConnected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Aeron IPC did not connect within 30 s");
                }
                Thread.sleep(1);
            }
        }
    }
}
