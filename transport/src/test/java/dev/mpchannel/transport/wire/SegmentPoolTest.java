package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.transport.OpenDescriptors;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A segment's life in its pool, each transition driven: lend, written, released (before or after), unused, closed. */
class SegmentPoolTest {
    private static final Path SHM = Path.of("/dev/shm");

    private static ByteBuffer params(int length) {
        return ByteBuffer.allocate(length);
    }

    @Test
    void aReleasedSegmentIsLentAgainUnderANewToken() throws Exception {
        try (SegmentPool pool = new SegmentPool()) {
            Segment first = pool.lend(params(100_000));
            long token = first.token;
            pool.written(first);
            assertTrue(pool.release(token));
            assertFalse(pool.release(token), "a token is good for one release");
            Segment again = pool.lend(params(200_000));
            assertSame(first, again, "the free segment fits: no new file");
            assertTrue(again.token != token && again.token != 0);
            assertEquals(1, pool.size());
        }
    }

    @Test
    void aReleaseBeforeTheWriterIsBackFreesTheSegmentOnlyOnceTheWriteIsOver() throws Exception {
        try (SegmentPool pool = new SegmentPool()) {
            Segment segment = pool.lend(params(1000));
            assertTrue(pool.release(segment.token));
            assertEquals(1, pool.lent(), "still being written: not free yet");
            Segment other = pool.lend(params(1000));
            assertFalse(other == segment, "a segment being written never carries a second message");
            pool.written(segment);
            pool.written(other);
            assertEquals(1, pool.lent());
        }
    }

    @Test
    void aSegmentNeverSentIsFreeAgain() throws Exception {
        try (SegmentPool pool = new SegmentPool()) {
            Segment segment = pool.lend(params(1000));
            pool.unused(segment);
            assertEquals(0, pool.lent());
            assertSame(segment, pool.lend(params(1000)));
        }
    }

    @Test
    void aTokenNotLentIsIgnored() throws Exception {
        try (SegmentPool pool = new SegmentPool()) {
            Segment segment = pool.lend(params(1000));
            pool.written(segment);
            assertFalse(pool.release(segment.token + 1));
            assertFalse(pool.release(0));
            assertEquals(1, pool.lent());
        }
    }

    @Test
    void aPeerThatNeverReleasesGetsNoMoreThanTheBound() throws Exception {
        List<String> before = OpenDescriptors.under(SHM);
        SegmentPool pool = new SegmentPool();
        List<Segment> lent = new ArrayList<>();
        for (int i = 0; i < SegmentPool.MOST_SEGMENTS; i++) {
            Segment segment = pool.lend(params(1000));
            assertNotNull(segment, "segment " + i);
            pool.written(segment);
            lent.add(segment);
        }
        assertNull(pool.lend(params(1000)), "every segment lent: the caller makes a fresh file");
        assertNull(pool.lend(params((int) SegmentPool.MOST_BYTES + 1)), "larger than the whole pool");
        assertEquals(SegmentPool.MOST_SEGMENTS, OpenDescriptors.under(SHM).size() - before.size());
        pool.close();
        assertEquals(before, OpenDescriptors.under(SHM), "closing the pool closes every segment's descriptor");
        assertNull(pool.lend(params(1000)), "a closed pool lends nothing");
    }

    @Test
    void aFreeSegmentTooSmallMakesWayWhenThePoolIsFull() throws Exception {
        try (SegmentPool pool = new SegmentPool()) {
            for (int i = 0; i < SegmentPool.MOST_SEGMENTS; i++) {
                Segment segment = pool.lend(params(1000));
                pool.written(segment);
                pool.release(segment.token);
            }
            assertEquals(1, pool.size(), "one free segment served them all");
            List<Segment> held = new ArrayList<>();
            for (int i = 0; i < SegmentPool.MOST_SEGMENTS; i++) {
                Segment segment = pool.lend(params(1000));
                pool.written(segment);
                held.add(segment);
            }
            pool.release(held.get(0).token);
            Segment larger = pool.lend(params(1 << 20));
            assertNotNull(larger, "the free small segment made way");
            assertEquals(1 << 20, larger.capacity);
            assertEquals(SegmentPool.MOST_SEGMENTS, pool.size());
        }
    }

    @Test
    void aClosedPoolClosesASegmentBeingWrittenOnceItsWriteIsOver() throws Exception {
        List<String> before = OpenDescriptors.under(SHM);
        SegmentPool pool = new SegmentPool();
        Segment segment = pool.lend(params(1000));
        pool.close();
        assertTrue(segment.fd().valid(), "still being written: its descriptor stays open");
        pool.written(segment);
        assertEquals(before, OpenDescriptors.under(SHM));
    }
}
