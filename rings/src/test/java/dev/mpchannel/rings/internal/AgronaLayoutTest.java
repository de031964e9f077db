package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.rings.RingOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

/** The ring is Agrona's one-to-one ring buffer: Agrona reads what this bundle writes, and the other way round. */
class AgronaLayoutTest {
    @Test
    void theTrailerIsAgronas() {
        assertEquals(RingBufferDescriptor.TRAILER_LENGTH, RingLayout.TRAILER_LENGTH);
        assertEquals(RingBufferDescriptor.TAIL_POSITION_OFFSET, RingLayout.TAIL_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_POSITION_OFFSET, RingLayout.HEAD_POSITION_OFFSET);
    }

    @Test
    void agronaReadsWhatThisWriterWritesAcrossWraps() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY), false)) {
            RingProducer writer = (RingProducer) pair.opener.writer();
            OneToOneRingBuffer agrona = agronaOver(writer.memory());
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                byte[] record = ("record " + i + " " + "x".repeat(i % 300)).getBytes(StandardCharsets.UTF_8);
                assertTrue(writer.offer(record, 0, record.length), "room for record " + i);
                for (int reads = 0; reads < 2 && read.size() == i; reads++) { // a padding record first, at a wrap
                    agrona.read((type, buffer, index, length) -> {
                        assertEquals(RingLayout.RECORD_TYPE, type);
                        read.add(buffer.getStringWithoutLengthUtf8(index, length));
                    });
                }
                assertEquals(i + 1, read.size());
                assertTrue(read.get(i).startsWith("record " + i + " "), read.get(i));
            }
        }
    }

    @Test
    void thisReaderReadsWhatAgronaWritesAcrossWraps() throws Exception {
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY), false)) {
            OneToOneRingBuffer agrona = agronaOver(((RingProducer) pair.opener.writer()).memory());
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                byte[] record = ("record " + i + " " + "y".repeat(i % 300)).getBytes(StandardCharsets.UTF_8);
                assertTrue(agrona.write(RingLayout.RECORD_TYPE, new UnsafeBuffer(record), 0, record.length));
                for (int reads = 0; reads < 2 && read.size() == i; reads++) { // a padding record first, at a wrap
                    pair.acceptor.reader().poll(view -> read.add(StandardCharsets.UTF_8.decode(view).toString()), 1);
                }
                assertEquals(i + 1, read.size(), "Agrona's record " + i + " read");
                assertEquals(new String(record, StandardCharsets.UTF_8), read.get(i));
            }
        }
    }

    private static OneToOneRingBuffer agronaOver(RingMemory memory) {
        return new OneToOneRingBuffer(new UnsafeBuffer(memory.mapping(), RingLayout.HEADER_LENGTH,
                memory.mapping().capacity() - RingLayout.HEADER_LENGTH));
    }
}
