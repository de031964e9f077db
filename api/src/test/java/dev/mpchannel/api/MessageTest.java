package dev.mpchannel.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void nameOfOneToSixtyFourUtf8BytesIsAccepted() {
        Message.checkName("a");
        Message.checkName("x".repeat(64));
        Message.checkName("é".repeat(32)); // 2 bytes each: exactly 64
    }

    @Test
    void nameOutsideBoundsIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Message.of(""))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Message.of("x".repeat(65)))
                .getMessage().contains("65 UTF-8 bytes"));
        assertThrows(IllegalArgumentException.class, () -> Message.of("é".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> Message.of("bad\uD800surrogate"));
    }

    @Test
    void paramsAreCopiedInAndOut() {
        byte[] params = {1, 2, 3};
        Message message = Message.of("a", params);
        params[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, message.params());
        message.params()[1] = 9;
        assertEquals(2, message.paramsBuffer().get(1));
        assertTrue(message.paramsBuffer().isReadOnly());
        assertEquals("héllo", Message.of("a", "héllo").paramsAsString());
    }

    @Test
    void fileDescriptorsMustBeOpenAndWithinTheKernelLimit() {
        assertThrows(IllegalArgumentException.class, () -> Message.of("a").withFileDescriptors(new FileDescriptor()));
        assertThrows(IllegalArgumentException.class,
                () -> Message.of("a").withFileDescriptors(Collections.nCopies(254, FileDescriptor.in)));
        assertEquals(1, Message.of("a").withFileDescriptors(FileDescriptor.in).fileDescriptors().size());
    }

    @Test
    void repliesCountOnlyAnswers() {
        Peer peer = new SomePeer();
        Replies replies = Replies.of(2, java.util.List.of(
                Reply.replied(peer, Message.of("a")),
                Reply.unanswered(peer, Reply.Status.IGNORED, "no action")));
        assertEquals(1, replies.received());
        assertTrue(!replies.complete());
        assertThrows(IllegalArgumentException.class, () -> Reply.unanswered(peer, Reply.Status.REPLIED, ""));
    }

    /** A peer as a channel would give one. */
    private record SomePeer() implements Peer {
        @Override
        public String channel() {
            return "test";
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public Role role() {
            return Role.SECONDARY;
        }

        @Override
        public long pid() {
            return 1;
        }

        @Override
        public long uid() {
            return 0;
        }

        @Override
        public long gid() {
            return 0;
        }

        @Override
        public java.time.Instant connectedSince() {
            return java.time.Instant.EPOCH;
        }
    }
}
