package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.Message;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Leases are found by their message's identity, also when two live messages share an identity hash. */
class SegmentLeaseTest {
    @Test
    void twoMessagesUnderOneKeyAreEachReleasedOnTheirOwn() {
        try (SharedSegments segments = new SharedSegments()) { // no writer: a release writes nothing
            SegmentLease first = SegmentLease.of(segments, 1, ByteBuffer.allocateDirect(8), null);
            SegmentLease second = SegmentLease.of(segments, 2, ByteBuffer.allocateDirect(8), null);
            Message one = Message.of("test.one", "1");
            Message two = Message.of("test.two", "2");
            first.heldBy(one, 42);
            second.heldBy(two, 42);

            SegmentLease.release(two, 42);
            assertTrue(second.isReleased(), "the second message's lease, under the key the first holds too");
            assertFalse(first.isReleased());
            SegmentLease.release(one, 42);
            assertTrue(first.isReleased());
        }
    }
}
