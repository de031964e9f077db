package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.rings.RingClosedException;
import dev.mpchannel.rings.RingOptions;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A peer that scribbles on the shared memory: random bytes at random places of a ring (header, records, trailer)
 * between records. The reader and the writer of this side must hand over records, refuse, or end the pair with a
 * {@link RingClosedException}, and nothing else: no other exception, no record framed outside the ring.
 */
class RingReaderFuzzTest {
    private static final int ROUNDS = 300;

    @Test
    void garbageInTheSharedMemoryEndsThePairOrSpoilsRecordsButNeverEscapes() throws Exception {
        Random random = new Random(20261202);
        String before = LocalPair.resources();
        int closed = 0;
        int records = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (LocalPair pair = LocalPair.open(RingOptions.duplex(RingOptions.MIN_CAPACITY), false)) {
                RingProducer writer = (RingProducer) pair.opener.writer();
                ByteBuffer memory = writer.memory().mapping(); // the same pages the acceptor's reader maps
                int size = memory.capacity();
                try {
                    for (int step = 0; step < 20; step++) {
                        byte[] record = new byte[random.nextInt(writer.maxRecordLength() + 1)];
                        writer.offer(record, 0, record.length);
                        for (int scribbles = random.nextInt(4); scribbles > 0; scribbles--) {
                            scribble(memory, size, random);
                        }
                        records += pair.acceptor.reader().poll(view -> {
                            assertTrue(view.position() >= RingLayout.HEADER_LENGTH
                                    && view.limit() <= RingLayout.HEADER_LENGTH + RingOptions.MIN_CAPACITY
                                    && view.position() <= view.limit(), "a record inside the ring: " + view);
                        }, 8);
                        // the other ring: this side writes, the scribbled reader's position comes back to it
                        scribble(((RingConsumer) pair.opener.reader()).memory().mapping(), size, random);
                        pair.acceptor.writer().offer(record, 0, Math.min(record.length, 64));
                        pair.opener.reader().poll(view -> { }, 8);
                    }
                } catch (RingClosedException expected) {
                    closed++;
                }
            }
        }
        assertTrue(closed > ROUNDS / 4, closed + " of " + ROUNDS + " rounds ended in a closed pair");
        assertTrue(records > 0, "records still arrive between scribbles");
        assertEquals(before, LocalPair.resources(), "every pair released");
    }

    private static void scribble(ByteBuffer memory, int size, Random random) {
        int at;
        switch (random.nextInt(4)) {
            case 0 -> at = RingLayout.HEADER_LENGTH + (random.nextInt(RingOptions.MIN_CAPACITY) & -8); // a record header
            case 1 -> at = size - RingLayout.TRAILER_LENGTH + random.nextInt(RingLayout.TRAILER_LENGTH - 8); // positions
            case 2 -> at = random.nextInt(RingLayout.HEADER_LENGTH - 8); // the header's flags
            default -> at = random.nextInt(size - 8);
        }
        if (random.nextBoolean()) {
            memory.putInt(at, random.nextInt());
        } else {
            memory.putLong(at, random.nextLong());
        }
    }
}
