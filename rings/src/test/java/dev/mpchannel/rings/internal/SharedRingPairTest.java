package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.rings.Idle;
import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingReader;
import dev.mpchannel.rings.RingWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rings with real memory in /dev/shm and real socketpair doorbells; both sides in this JVM. */
class SharedRingPairTest {
    /** Each task on a thread of its own: the common pool may have a single thread (2 CPUs), and these tasks block. */
    private static final Executor OWN_THREAD = task -> new Thread(task).start();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(Idle.class)
    void recordsOfEveryLengthArriveInOrderAcrossManyWraps(Idle idle) throws Exception {
        int count = 20_000;
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY))) {
            RingWriter writer = pair.opener.writer();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                ByteBuffer record = ByteBuffer.allocateDirect(writer.maxRecordLength());
                try {
                    for (int i = 0; i < count; i++) {
                        record.clear().putInt(i).limit(4 + i % (writer.maxRecordLength() - 3));
                        record.position(0);
                        while (!writer.offer(record)) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (RingClosedException e) {
                    throw new IllegalStateException(e);
                }
            }, OWN_THREAD);
            RingReader reader = pair.acceptor.reader();
            int[] next = {0};
            while (next[0] < count) {
                reader.receive(record -> {
                    assertEquals(4 + next[0] % (writer.maxRecordLength() - 3), record.remaining(), "record " + next[0]);
                    assertEquals(next[0], record.getInt(record.position()), "the records' order");
                    next[0]++;
                }, 64, idle);
            }
            writing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(count, pair.acceptor.status().in().records());
            assertEquals(count, pair.opener.status().out().records());
            assertEquals(0, pair.acceptor.reader().poll(record -> { }, 1), "nothing more than was written");
        }
    }

    @Test
    void aFullRingRefusesARecordUntilTheReaderTakesSome() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY))) {
            byte[] record = new byte[100];
            int written = 0;
            while (pair.opener.writer().offer(record, 0, record.length)) {
                written++;
            }
            assertTrue(written > 10 && written < RingOptions.MIN_CAPACITY / 100, written + " records fit");
            assertEquals(2, pair.acceptor.reader().poll(r -> { }, 2));
            assertTrue(pair.opener.writer().offer(record, 0, record.length), "room after two were read");
            assertEquals(1, pair.opener.status().out().parks(), "the full ring counted once");
        }
    }

    @Test
    void aRecordLongerThanAnEighthOfTheRingIsRefused() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.duplex(RingOptions.MIN_CAPACITY))) {
            RingWriter writer = pair.opener.writer();
            assertEquals(RingOptions.MIN_CAPACITY / 8, writer.maxRecordLength());
            assertThrows(IllegalArgumentException.class, () -> writer.offer(new byte[513], 0, 513));
            assertTrue(writer.offer(new byte[512], 0, 512));
        }
    }

    @Test
    void aParkedReaderIsWokenByTheDoorbellAndASpinningOneCostsTheWriterNoRing() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY))) {
            AtomicLong got = new AtomicLong();
            CompletableFuture<Integer> parked = CompletableFuture.supplyAsync(
                    () -> receive(pair, Idle.PARK, got), OWN_THREAD);
            await(() -> pair.acceptor.status().in().parks() == 1, "the reader parked", pair);
            assertTrue(pair.opener.writer().offer(new byte[] {42}, 0, 1));
            assertEquals(1, parked.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(42, got.get());
            assertEquals(1, pair.acceptor.status().in().wakeUps());
            assertEquals(1, pair.opener.status().out().wakeUps(), "one ring for a parked reader");

            CompletableFuture<Integer> spinning = CompletableFuture.supplyAsync(
                    () -> receive(pair, Idle.BUSY_SPIN, got), OWN_THREAD);
            assertTrue(pair.opener.writer().offer(new byte[] {7}, 0, 1));
            assertEquals(1, spinning.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, pair.opener.status().out().wakeUps(), "no ring for a spinning reader");
        }
    }

    @ParameterizedTest
    @EnumSource(Idle.class)
    void closingOneSideWakesTheReadersOfBothSidesAndReleasesEverything(Idle idle) throws Exception {
        String before = LocalPair.resources();
        LocalPair pair = LocalPair.open(RingOptions.duplex(1 << 16), false);
        assertFalse(before.equals(LocalPair.resources()), "the rings hold descriptors and mappings");
        AtomicReference<Throwable> acceptorSaw = new AtomicReference<>();
        AtomicReference<Throwable> openerSaw = new AtomicReference<>();
        CompletableFuture<Void> acceptorReader = CompletableFuture.runAsync(
                () -> expectClose(pair.acceptor, idle, acceptorSaw), OWN_THREAD);
        CompletableFuture<Void> openerReader = CompletableFuture.runAsync(
                () -> expectClose(pair.opener, idle, openerSaw), OWN_THREAD);
        if (idle == Idle.PARK) {
            await(() -> pair.acceptor.status().in().parks() == 1 && pair.opener.status().in().parks() == 1,
                    "both readers parked", pair);
        }
        pair.opener.close(); // the acceptor's side learns it through the shared memory and the doorbell only
        openerReader.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        acceptorReader.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(openerSaw.get().getMessage().contains("closed by this side"), openerSaw.get().getMessage());
        assertTrue(acceptorSaw.get().getMessage().contains("peer closed"), acceptorSaw.get().getMessage());
        assertEquals("closed by this side", pair.opener.closed().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        pair.acceptor.closed().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThrows(RingClosedException.class, () -> pair.acceptor.writer().offer(new byte[1], 0, 1));
        assertThrows(RingClosedException.class, () -> pair.opener.reader().poll(r -> { }, 1));
        await(() -> before.equals(LocalPair.resources()), "descriptors and mappings back to " + before, pair);
    }

    @Test
    void aWriterLearnsThatThePeerClosedFromTheSharedMemory() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY), false)) {
            pair.acceptor.close();
            RingClosedException closed = assertThrows(RingClosedException.class,
                    () -> pair.opener.writer().offer(new byte[1], 0, 1));
            assertTrue(closed.getMessage().contains("the peer closed it"), closed.getMessage());
            assertTrue(pair.opener.isClosed());
        }
    }

    @Test
    void aHandlerThatClosesItsOwnPairReleasesItWhenItReturns() throws Exception {
        LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY));
        pair.opener.writer().offer(new byte[8], 0, 8);
        pair.acceptor.reader().poll(record -> {
            pair.acceptor.close();
            assertFalse(pair.acceptor.closed().toCompletableFuture().isDone(), "still inside: not released yet");
            assertEquals(8, record.remaining(), "the memory is still there");
        }, 1);
        assertTrue(pair.acceptor.closed().toCompletableFuture().isDone(), "released once the reader left");
        assertTrue(pair.opener.isClosed(), "the peer told");
    }

    @Test
    void aPairWithoutARingThatWayTellsSo() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY))) {
            assertThrows(IllegalStateException.class, () -> pair.opener.reader());
            assertThrows(IllegalStateException.class, () -> pair.acceptor.writer());
        }
    }

    private static int receive(LocalPair pair, Idle idle, AtomicLong got) {
        try {
            return pair.acceptor.reader().receive(record -> got.set(record.get(record.position())), 1, idle);
        } catch (RingClosedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expectClose(SharedRingPair side, Idle idle, AtomicReference<Throwable> saw) {
        try {
            side.reader().receive(record -> { }, 1, idle);
            saw.set(new AssertionError("a record arrived"));
        } catch (RingClosedException e) {
            saw.set(e);
        }
    }

    static void await(BooleanSupplier condition, String what, LocalPair pair) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT + ": " + what + " (opener " + pair.opener.status()
                        + ", acceptor " + pair.acceptor.status() + ", " + LocalPair.resources() + ")");
            }
            Thread.sleep(5);
        }
    }

}
