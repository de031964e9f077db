package dev.mpchannel.transport.wire;

import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Parameters too large to send inline travel as a file in shared memory: the sender writes them to a new file in
 * /dev/shm, opens it read-only, unlinks it, and sends that descriptor; the receiver maps it read-only and closes the
 * descriptor. No name is left behind, and the memory is released when the last holder lets go: the sender's
 * descriptor once the frame is written, the receiver's mapping once the message is no longer referenced (the JVM
 * unmaps it when it collects the buffer). Between peers that both know it, a file is reused instead
 * ({@link SegmentPool}, {@link SharedSegments}).
 */
public final class SharedParams {
    private static final Path SHM = Path.of("/dev/shm");
    /** The slice a heap buffer is written through: small enough to stay in a core's cache. */
    private static final int SLICE_BYTES = 256 * 1024;

    private SharedParams() {
    }

    /** A read-only, already unlinked file holding {@code params}; the caller closes it once the frame is written. */
    public static FileInputStream create(ByteBuffer params) throws IOException {
        Path file = newFile();
        try {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                write(params.duplicate(), out);
            }
            return new FileInputStream(file.toFile());
        } finally {
            Files.delete(file); // the open descriptor keeps the memory; the name must not outlive this call
        }
    }

    /** A new empty file in /dev/shm (or the temp dir where there is none), for the caller to unlink. */
    static Path newFile() throws IOException {
        Path directory = Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempFile(directory, "mpchannel-", ".params");
    }

    /**
     * Writes the bytes with one copy from where they are: the kernel copies a direct or mapped buffer straight into
     * the file; a heap buffer goes through a small direct buffer, in slices that stay in the CPU's cache. (Handed a
     * heap buffer, the JDK would copy all of it into a temporary direct buffer as large, and keep that buffer for the
     * thread.) Writing with {@code write(2)} rather than through a mapping spares the sender a page fault per page.
     */
    private static void write(ByteBuffer bytes, FileChannel out) throws IOException {
        if (bytes.isDirect()) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            return;
        }
        ByteBuffer slice = ByteBuffer.allocateDirect(Math.min(SLICE_BYTES, bytes.remaining()));
        while (bytes.hasRemaining()) {
            int length = Math.min(slice.capacity(), bytes.remaining());
            slice.clear();
            slice.put(slice.position(), bytes, bytes.position(), length).limit(length);
            bytes.position(bytes.position() + length);
            while (slice.hasRemaining()) {
                out.write(slice);
            }
        }
    }

    /**
     * Maps the file behind {@code fd} read-only, and closes {@code fd} (the mapping stays). The file must hold exactly
     * {@code length} bytes, as the sender writes it: a shorter one would fault when touched, and a longer one is not
     * what the header says.
     *
     * @throws FrameException if the descriptor is not a file of that size that can be mapped
     */
    public static ByteBuffer map(FileDescriptor fd, int length) throws FrameException {
        try (FileInputStream in = new FileInputStream(fd); FileChannel file = in.getChannel()) {
            long size = file.size();
            if (size != length) {
                throw new FrameException("shared parameters: the file holds " + size + " bytes, the header says " + length);
            }
            return file.map(FileChannel.MapMode.READ_ONLY, 0, length);
        } catch (FrameException e) {
            throw e;
        } catch (IOException e) {
            throw new FrameException("shared parameters: the descriptor cannot be mapped (" + e.getMessage() + ")");
        }
    }

    /**
     * A message's parameters in a peer's segment: {@code own}, a mapping of their own, which every consumer gets by
     * default (the garbage collector tells when nothing reads it any more); and {@code kept}, the whole segment as this
     * connection keeps it mapped (faulted in once, read again by every message in that segment), for consumers that
     * release the parameters explicitly; {@code null} where it is not kept.
     */
    record SegmentParams(ByteBuffer own, ByteBuffer kept) {
    }

    /**
     * Maps the first {@code length} bytes of the segment behind {@code fd} read-only, and closes {@code fd} (the
     * mappings stay). A segment is reused for parameters of any length up to its size: it must be a regular file (not
     * a device, whose size says nothing of what a mapping may touch) at least {@code length} bytes long.
     *
     * @param kept the connection's mappings of its peer's segments, or {@code null}
     * @throws FrameException if the descriptor is not a regular file that long, or cannot be mapped
     */
    static SegmentParams mapSegment(FileDescriptor fd, int length, SegmentMappings kept) throws FrameException {
        try (FileInputStream in = new FileInputStream(fd); FileChannel file = in.getChannel()) {
            int number = FileDescriptorCast.using(fd).as(Integer.class);
            BasicFileAttributes attributes = Files.readAttributes(Path.of("/proc/self/fd/" + number),
                    BasicFileAttributes.class); // what the descriptor refers to: /proc/self/fd is followed, as by fstat
            if (!attributes.isRegularFile()) {
                throw new FrameException("shared parameters: the segment's descriptor is not a regular file");
            }
            long size = file.size();
            if (size < length) {
                throw new FrameException("shared parameters: the segment holds " + size + " bytes, the header says "
                        + length);
            }
            ByteBuffer own = file.map(FileChannel.MapMode.READ_ONLY, 0, length);
            return new SegmentParams(own, kept == null ? null : kept.of(attributes.fileKey(), size, file));
        } catch (FrameException e) {
            throw e;
        } catch (IOException e) {
            throw new FrameException("shared parameters: the segment cannot be mapped (" + e.getMessage() + ")");
        }
    }

    /**
     * The frame a peer sent with its parameters in shared memory: the first of {@code fds} holds them (mapped, then
     * closed), the others are the message's. In a segment of the peer's ({@code header.segment()}, its {@code token}),
     * the frame holds a lease on it from {@code segments} where there are some ({@code null}: none). If the parameters
     * cannot be mapped, every descriptor is closed.
     *
     * @throws FrameException if the first descriptor is not a file that holds the parameters
     */
    static Frame receive(FrameHeader header, String action, long token, List<FileDescriptor> fds,
            SharedSegments segments) throws FrameException {
        ByteBuffer params;
        SegmentParams inSegment = null;
        try {
            if (header.segment()) {
                inSegment = mapSegment(fds.get(0), header.paramsLength(), segments == null ? null : segments.kept());
                params = inSegment.own();
            } else {
                params = map(fds.get(0), header.paramsLength());
            }
        } catch (FrameException e) {
            FileDescriptors.closeAll(fds);
            throw e;
        }
        SegmentLease lease = inSegment != null && segments != null ? segments.lease(token, inSegment) : null;
        Message message = Message.of(action, params).withFileDescriptors(fds.subList(1, fds.size()));
        if (segments != null) {
            segments.sharedReceived();
        }
        Frame frame = new Frame(header.kind(), header.requestId(), message);
        if (lease == null) {
            return frame;
        }
        lease.heldBy(message);
        return frame.withLease(lease);
    }
}
