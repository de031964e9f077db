package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.rings.RingOptions;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.FileDescriptorCast;

/** What a peer sends as a ring's memory is checked before it is mapped, and the descriptor is closed either way. */
class RingMemoryTest {
    private static final int CAPACITY = RingOptions.MIN_CAPACITY;

    @Test
    void aFileOfAnotherSizeIsRefused() throws Exception {
        assertRefused(RingLayout.size(CAPACITY) - 8, false, "holds");
    }

    @Test
    void aFileWithoutTheRingHeaderIsRefused() throws Exception {
        assertRefused(RingLayout.size(CAPACITY), false, "magic");
    }

    @Test
    void aRingOfAnotherCapacityIsRefused() throws Exception {
        RandomAccessFile[] file = new RandomAccessFile[1];
        RingMemory memory = RingMemory.create(CAPACITY * 2, file);
        try {
            FileDescriptor copy = FileDescriptorCast.duplicating(file[0].getFD()).getFileDescriptor();
            IOException refused = assertThrows(IOException.class, () -> RingMemory.map(copy, CAPACITY));
            assertTrue(refused.getMessage().contains("holds"), refused.getMessage());
            assertTrue(!copy.valid(), "the descriptor is closed");
        } finally {
            memory.unmap();
            file[0].close();
        }
    }

    @Test
    void aDescriptorThatIsNoRegularFileIsRefused() throws Exception {
        Path fifo = Files.createTempDirectory("rings-").resolve("fifo");
        try {
            new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
            // O_RDWR on a FIFO does not wait for a writer
            try (RandomAccessFile pipe = new RandomAccessFile(fifo.toFile(), "rw")) {
                FileDescriptor copy = FileDescriptorCast.duplicating(pipe.getFD()).getFileDescriptor();
                IOException refused = assertThrows(IOException.class, () -> RingMemory.map(copy, CAPACITY));
                assertTrue(refused.getMessage().contains("not a regular file"), refused.getMessage());
                assertTrue(!copy.valid(), "the descriptor is closed");
            }
        } finally {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(fifo.getParent());
        }
    }

    private static void assertRefused(long size, boolean header, String why) throws Exception {
        Path path = Files.createTempFile("rings-", ".mem");
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
            FileDescriptor copy = FileDescriptorCast.duplicating(file.getFD()).getFileDescriptor();
            IOException refused = assertThrows(IOException.class, () -> RingMemory.map(copy, CAPACITY));
            assertTrue(refused.getMessage().contains(why), refused.getMessage());
            assertTrue(!copy.valid(), "the descriptor is closed");
        } finally {
            Files.delete(path);
        }
    }
}
