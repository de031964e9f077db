package dev.mpchannel.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mpchannel.api.Message;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Coverage-guided fuzzing of the shared-memory parameter path ({@link FrameReader} and {@link SharedParams#map}) as a
 * peer reaches it: a frame whose flag says "parameters in shared memory" (its header, name and counts chosen by the
 * fuzzer, now and then a byte of it flipped), with, as its first descriptor, one of
 * <ul>
 * <li>an unlinked file in /dev/shm shorter than the header says, exactly as long, longer, or sparse;</li>
 * <li>such a file truncated after the reader mapped it, whose bytes are then touched (as an action would);</li>
 * <li>a file opened write-only; a pipe (FIFO); /dev/null (or /dev/full where /dev/null is not a device: some
 * containers have a regular file there, which anything may have written to); /dev/zero; a directory; a Unix socket;
 * a /proc file (size 0, contents on read);</li>
 * </ul>
 * and up to three more descriptors of its own, the declared count now and then off by one.
 * <p>
 * The contract checked on every input:
 * <ul>
 * <li>{@code read()} ends in a frame or a {@link FrameException}, never another exception; a frame's parameters are
 * exactly the header's length, read-only, and the file's bytes; a file shorter or longer than the header says is
 * refused;</li>
 * <li>nothing is allocated past the limits: the parameters are mapped, never copied to the heap (a read allocates at
 * most {@code maxParamsBytes} plus {@link FrameReaderFuzzTest#ALLOCATION_SLACK}; the mapping is the header's length,
 * at most {@code maxParamsBytes});</li>
 * <li>every descriptor handed in is closed by the reader (the one holding the parameters, always, once mapped or
 * refused) or handed on in the frame (the others); the test's own pipe, directory and socket stay open;</li>
 * <li>a file truncated while mapped: bytes below the new end read as written, bytes past it in its last page read 0,
 * and bytes past that page fault (SIGBUS): HotSpot lets the load return garbage and throws an {@link InternalError}
 * on that thread later, asynchronously; nothing else is thrown and the JVM goes on. The reader never touches the
 * bytes itself: only the message's consumer can meet this, on its own thread.</li>
 * </ul>
 */
class SharedParamsFuzzTest extends BoundedFuzzTest {
    private static final int PAGE = 4096;
    /** Four pages and a bit are enough to put a file's end, and a truncation, anywhere in, at and past a page. */
    private static final FrameLimits LIMITS = new FrameLimits(4 * PAGE + 100, 3, 0);
    /** What the files hold (from an offset the fuzzer picks): different bytes at each position. */
    private static final byte[] PATTERN = new byte[2 * LIMITS.maxParamsBytes() + 4 * PAGE];
    private static final Path SHM = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    private static final AtomicLong FILES = new AtomicLong();
    /** A character device that reads as nothing or zeros, whatever its size says. */
    private static final String NULL_DEVICE = characterDevice("/dev/null", "/dev/full");
    private static final Allocations ALLOCATIONS = new Allocations();

    /** What the frame's first descriptor is. */
    enum Holder {
        FILE, FILE_TRUNCATED_WHILE_MAPPED, FILE_WRITE_ONLY, PIPE, DEV_NULL, DEV_ZERO, DIRECTORY, SOCKET, PROC_FILE
    }

    /** Long-lived descriptors of the kinds a file cannot be opened as; each input gets a duplicate of one. */
    private static final class Fixtures {
        static final Path DIR;
        static final RandomAccessFile FIFO;
        static final FileDescriptor DIRECTORY;
        /** Held for the JVM's life: an unreachable channel's cleaner would close the directory's descriptor. */
        static final FileChannel DIRECTORY_CHANNEL;
        static final AFUNIXSocketPair<AFUNIXSocketChannel> SOCKETS;

        static {
            try {
                DIR = Files.createTempDirectory("mpchannel-fuzz-");
                DIR.toFile().deleteOnExit(); // after the FIFO: deleteOnExit goes in reverse order
                Path fifo = DIR.resolve("fifo");
                fifo.toFile().deleteOnExit();
                Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
                if (mkfifo.waitFor() != 0) {
                    throw new IOException("mkfifo failed");
                }
                FIFO = new RandomAccessFile(fifo.toFile(), "rw"); // O_RDWR: opens without a writer waiting
                FIFO.write("bytes in the pipe".getBytes(StandardCharsets.US_ASCII));
                DIRECTORY_CHANNEL = FileChannel.open(DIR);
                DIRECTORY = directoryDescriptor(DIR);
                SOCKETS = AFUNIXSocketPair.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The JDK opens a directory only as a FileChannel, which hides its descriptor: find it in /proc/self/fd. */
        private static FileDescriptor directoryDescriptor(Path dir) throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        if (Files.readSymbolicLink(fd).equals(dir.toRealPath())) {
                            return FileDescriptorCast.unsafeUsing(Integer.parseInt(fd.getFileName().toString()))
                                    .getFileDescriptor();
                        }
                    } catch (IOException gone) {
                        // the listing's own descriptor, closed by now
                    }
                }
            }
            throw new IOException("no descriptor of " + dir + " in /proc/self/fd");
        }

        static FileDescriptor duplicate(FileDescriptor fd) throws IOException {
            return FileDescriptorCast.duplicating(fd).as(FileDescriptor.class);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void aSharedParametersFrameEndsInItsMappedBytesOrAFrameExceptionAndClosesTheDescriptor(FuzzedDataProvider data)
            throws IOException {
        Holder holder = data.pickValue(Holder.values());
        int length = data.consumeInt(0, LIMITS.maxParamsBytes() + 16);
        int extra = data.consumeInt(0, LIMITS.maxFileDescriptors());
        FrameKind kind = data.pickValue(FrameKind.values());
        byte[] name = data.consumeAsciiString(Message.MAX_NAME_BYTES).getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0) {
            name = new byte[] {'p'};
        }
        int declared = 1 + extra;
        int delivered = declared;
        if (data.consumeInt(0, 7) == 0) {
            delivered = Math.max(0, declared + (data.consumeBoolean() ? 1 : -1));
        }
        ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_BYTES + name.length)
                .putShort((short) FrameCodec.MAGIC).put((byte) FrameCodec.VERSION).put((byte) kind.code())
                .put((byte) name.length).put((byte) declared).putShort((short) FrameCodec.FLAG_SHARED_PARAMS)
                .putLong(kind == FrameKind.MESSAGE ? 0 : data.consumeLong(1, Long.MAX_VALUE)).putInt(length)
                .put(name);
        byte[] bytes = header.array();
        if (data.consumeInt(0, 7) == 0) {
            bytes[data.consumeInt(0, bytes.length - 1)] ^= (byte) data.consumeInt(1, 255);
        }
        int split = data.consumeInt(1, bytes.length);

        List<AutoCloseable> opened = new ArrayList<>();
        RandomAccessFile file = null;
        byte[] content = null;
        try {
            FileDescriptor[] fds = new FileDescriptor[delivered];
            if (delivered > 0) {
                switch (holder) {
                    case FILE, FILE_TRUNCATED_WHILE_MAPPED, FILE_WRITE_ONLY -> {
                        Path path = SHM.resolve("mpchannel-fuzz-" + ProcessHandle.current().pid() + "-"
                                + FILES.incrementAndGet() + ".params");
                        file = new RandomAccessFile(path.toFile(), "rw");
                        opened.add(file);
                        // shorter than the header says, exactly as long, or longer (the file to truncate is as
                        // long: it must be mapped, and only a file of the declared length is)
                        int relation = holder == Holder.FILE_TRUNCATED_WHILE_MAPPED ? 1 : data.consumeInt(0, 2);
                        int size = switch (relation) {
                            case 0 -> length == 0 ? 0 : data.consumeInt(0, length - 1);
                            case 1 -> length;
                            default -> length + data.consumeInt(1, 2 * PAGE);
                        };
                        if (data.consumeBoolean()) {
                            file.setLength(size); // sparse: reads as zeros
                            content = new byte[size];
                        } else {
                            content = pattern(size, data.consumeInt(0, LIMITS.maxParamsBytes()));
                            file.write(content);
                        }
                        if (holder == Holder.FILE_WRITE_ONLY) {
                            FileOutputStream out = new FileOutputStream(path.toFile(), true);
                            opened.add(out);
                            fds[0] = out.getFD();
                        } else {
                            FileInputStream in = new FileInputStream(path.toFile());
                            opened.add(in);
                            fds[0] = in.getFD();
                        }
                        Files.delete(path); // as the sender does: no name outlives the frame
                    }
                    case PIPE -> fds[0] = Fixtures.duplicate(Fixtures.FIFO.getFD());
                    case DIRECTORY -> fds[0] = Fixtures.duplicate(Fixtures.DIRECTORY);
                    case SOCKET -> fds[0] = Fixtures.duplicate(Fixtures.SOCKETS.getSocket1().getFileDescriptor());
                    case DEV_NULL, DEV_ZERO, PROC_FILE -> {
                        FileInputStream in = new FileInputStream(
                                holder == Holder.DEV_NULL ? NULL_DEVICE
                                        : holder == Holder.DEV_ZERO ? "/dev/zero" : "/proc/self/status");
                        opened.add(in);
                        fds[0] = in.getFD();
                    }
                }
                for (int i = 1; i < delivered; i++) {
                    FileInputStream in = new FileInputStream("/dev/null");
                    opened.add(in);
                    fds[i] = in.getFD();
                }
            }

            // what the first descriptor is, to tell a reader's mistake from a descriptor closed under the test
            String firstTarget = delivered > 0 ? target(fds[0]) : null;
            InputStream stream = new Chunks(bytes, split);
            FileDescriptor[][] pending = {fds.length == 0 ? null : fds};
            FrameReader reader = new FrameReader(stream, () -> {
                FileDescriptor[] got = pending[0];
                pending[0] = null;
                return got;
            }, LIMITS);
            Frame frame = null;
            try {
                ALLOCATIONS.start();
                try {
                    frame = reader.read();
                } finally {
                    long allocated = ALLOCATIONS.allocated();
                    if (allocated > LIMITS.maxParamsBytes() + FrameReaderFuzzTest.ALLOCATION_SLACK) {
                        fail("one read allocated " + allocated + " bytes, limit " + LIMITS.maxParamsBytes());
                    }
                }
            } catch (FrameException refused) {
                // refused: its descriptors must all be closed below
            } finally {
                reader.close();
            }

            if (frame != null) {
                // the header as sent, after any flipped byte: a cleared flag makes it an inline frame, a shorter
                // name leaves bytes of a next frame, and descriptors for it, behind
                boolean shared = (bytes[7] & FrameCodec.FLAG_SHARED_PARAMS) != 0;
                int declaredSent = bytes[5] & 0xFF;
                int first = shared ? 1 : 0;
                Message message = frame.message();
                assertEquals(ByteBuffer.wrap(bytes, 16, 4).getInt(), message.paramsLength(), "the header's length");
                assertTrue(message.paramsLength() <= LIMITS.maxParamsBytes());
                assertEquals(declaredSent - first, message.fileDescriptors().size());
                for (int i = first; i < declaredSent; i++) {
                    assertSame(fds[i], message.fileDescriptors().get(i - first), "its own descriptors, in order");
                    assertTrue(fds[i].valid(), "a descriptor handed on closed");
                }
                if (shared && content != null) {
                    assertEquals(content.length, message.paramsLength(), "mapped a file of another length than declared");
                }
                ByteBuffer params = message.paramsBuffer();
                assertTrue(params.isReadOnly());
                if (params.remaining() > 0) {
                    assertTrue(shared, "inline parameters that were never sent");
                    assertTrue(params.isDirect(), "shared parameters copied onto the heap");
                    assertTrue(content != null && holder != Holder.FILE_WRITE_ONLY, "mapped from a " + holder
                            + " (" + firstTarget + "), flags " + Integer.toBinaryString(bytes[7] & 0xFF) + ", "
                            + params.remaining() + " bytes");
                    if (holder == Holder.FILE_TRUNCATED_WHILE_MAPPED) {
                        touchTruncated(file, params, content, data);
                    } else {
                        int differs = params.mismatch(ByteBuffer.wrap(content, 0, params.remaining()));
                        if (differs >= 0) {
                            fail("byte " + differs + " of the mapping is not the file's");
                        }
                    }
                }
                FileDescriptors.closeAll(message.fileDescriptors()); // the action's part
            }
            for (FileDescriptor fd : fds) {
                assertFalse(fd.valid(), "a descriptor left open: neither handed on nor closed");
            }
            assertTrue(Fixtures.FIFO.getFD().valid() && Fixtures.DIRECTORY.valid(), "the test's own descriptors");
        } finally {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    /** The first of {@code paths} that is a character device, not followed if a link. */
    private static String characterDevice(String... paths) {
        for (String path : paths) {
            try {
                int mode = (Integer) Files.getAttribute(Path.of(path), "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 0170000) == 0020000) { // S_IFCHR
                    return path;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not there, or not a Unix file system: try the next
            }
        }
        throw new IllegalStateException("none of " + Arrays.toString(paths) + " is a character device");
    }

    /** What {@code fd} refers to, as /proc/self/fd says, with its number. */
    private static String target(FileDescriptor fd) {
        try {
            int number = FileDescriptorCast.using(fd).as(Integer.class);
            return number + " -> " + Files.readSymbolicLink(Path.of("/proc/self/fd/" + number));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * Truncates the file under the mapping, then touches bytes below the new end, in its last page, and past it, as an
     * action would. HotSpot turns the SIGBUS into an {@link InternalError}, but asynchronously: the faulting load
     * returns garbage and the error is thrown "at a later point" (the thread's next transition into the VM), so no
     * try/catch around the access can be sure to see it, and it can land in whatever code runs then (tried: on a
     * long-lived executor thread it landed inside {@code FutureTask}, whose {@code get()} then waited for ever). So
     * each touching gets a new thread, whose life is only that: what reaches it is caught in {@code run()} or by its
     * uncaught-exception handler, and must be an {@link InternalError}.
     */
    private static void touchTruncated(RandomAccessFile file, ByteBuffer params, byte[] content,
            FuzzedDataProvider data) throws IOException {
        int length = params.remaining();
        int newEnd = data.consumeInt(0, length - 1);
        file.setLength(newEnd);
        long pageEnd = (newEnd + PAGE - 1) / PAGE * PAGE;
        int[] touched = {0, newEnd, length - 1, data.consumeInt(0, length - 1)};
        byte[] got = new byte[touched.length];
        int[] read = {0};
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread toucher = new Thread(() -> {
            try {
                for (int k = 0; k < touched.length; k++) {
                    got[k] = params.get(touched[k]);
                    read[0] = k + 1;
                }
            } catch (Throwable t) {
                thrown.compareAndSet(null, t);
            }
        }, "touches a truncated mapping");
        toucher.setUncaughtExceptionHandler((t, e) -> thrown.compareAndSet(null, e));
        toucher.start();
        try {
            toucher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Throwable t = thrown.get();
        if (t != null && !(t instanceof InternalError)) {
            fail("touching a truncated mapping threw " + t, t);
        }
        for (int k = 0; k < read[0]; k++) {
            int i = touched[k];
            if (i < newEnd) {
                assertEquals(content[i], got[k], "byte " + i + " below the new end " + newEnd);
            } else if (i < pageEnd) {
                assertEquals(0, got[k], "byte " + i + " past the new end " + newEnd + ", in its page");
            } // past the page: a fault; the load read garbage
        }
    }

    static {
        new java.util.Random(42).nextBytes(PATTERN);
    }

    private static byte[] pattern(int size, int offset) {
        return Arrays.copyOfRange(PATTERN, offset, offset + size);
    }

    /** The frame's bytes in two reads. */
    private static final class Chunks extends InputStream {
        private final byte[] bytes;
        private final int split;
        private int position;

        Chunks(byte[] bytes, int split) {
            this.bytes = bytes;
            this.split = split;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("the reader reads in blocks");
        }

        @Override
        public int read(byte[] buffer, int at, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int end = position < split ? split : bytes.length;
            int n = Math.min(length, end - position);
            System.arraycopy(bytes, position, buffer, at, n);
            position += n;
            return n;
        }
    }
}
