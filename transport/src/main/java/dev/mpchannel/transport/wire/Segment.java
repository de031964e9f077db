package dev.mpchannel.transport.wire;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file in shared memory that this side writes parameters into again and again: unlinked at once, mapped here
 * read-write for its whole life (its pages are allocated and faulted in by the first message, and stay), and sent to
 * the peer through a read-only descriptor with each message that uses it. Its state is its {@link SegmentPool}'s.
 */
final class Segment {
    final long capacity;
    private final FileInputStream readOnly; // the descriptor each message sends
    private final MappedByteBuffer memory; // unmapped by the garbage collector once the pool lets go of it

    // guarded by the pool
    long token; // the token it is lent under, 0 while free
    boolean writing; // a frame that carries it is being written: its descriptor must stay open until that is over
    boolean releasedWhileWriting; // the peer read it before the writer got back: free once the write is over
    boolean closed;

    private Segment(long capacity, FileInputStream readOnly, MappedByteBuffer memory) {
        this.capacity = capacity;
        this.readOnly = readOnly;
        this.memory = memory;
    }

    static Segment create(long capacity) throws IOException {
        Path file = SharedParams.newFile();
        try (RandomAccessFile rw = new RandomAccessFile(file.toFile(), "rw")) {
            rw.setLength(capacity);
            MappedByteBuffer memory = rw.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            return new Segment(capacity, new FileInputStream(file.toFile()), memory);
        } finally {
            Files.delete(file); // the descriptors keep the memory; the name must not outlive this call
        }
    }

    /** Copies the parameters to the start of the segment: one copy, into memory mapped and faulted in already. */
    void fill(ByteBuffer params) {
        memory.put(0, params, params.position(), params.remaining());
    }

    FileDescriptor fd() throws IOException {
        return readOnly.getFD();
    }

    void close() {
        closed = true;
        try {
            readOnly.close();
        } catch (IOException ignored) {
            // unlinked already: closing only lets go of this side's hold on the memory
        }
    }
}
