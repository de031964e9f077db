package dev.mpchannel.rings.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The shared memory of one ring: a file in /dev/shm, unlinked as soon as it is created, mapped read-write by both
 * processes. The opener creates it; the peer maps the descriptor it received, after checking that it is a regular
 * file of the size and header the request announced (a peer controls both).
 * <p>
 * Every access goes through the JDK's byte buffer views (VarHandles for the ordered ones), which check each index
 * against the mapping: nothing a peer writes can make this process touch memory outside it.
 */
final class RingMemory {
    private static final Path SHM = Path.of("/dev/shm");
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer mapping;
    private final int capacity;

    private RingMemory(MappedByteBuffer mapping, int capacity) {
        this.mapping = mapping;
        this.capacity = capacity;
        mapping.order(ByteOrder.nativeOrder());
    }

    /**
     * Creates the memory of a ring of {@code capacity} bytes; {@code file} receives the open file, whose descriptor
     * goes to the peer and which the caller closes once it is sent.
     */
    static RingMemory create(int capacity, RandomAccessFile[] file) throws IOException {
        Path directory = Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
        Path path = Files.createTempFile(directory, "mpchannel-ring-", "");
        RandomAccessFile opened = null;
        try {
            opened = new RandomAccessFile(path.toFile(), "rw");
            long size = RingLayout.size(capacity);
            opened.setLength(size);
            RingMemory ring = new RingMemory(opened.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size),
                    capacity);
            ring.mapping.putInt(RingLayout.VERSION_OFFSET, RingLayout.VERSION);
            ring.mapping.putInt(RingLayout.CAPACITY_OFFSET, capacity);
            LONG.setRelease(ring.mapping, RingLayout.MAGIC_OFFSET, RingLayout.MAGIC);
            file[0] = opened;
            return ring;
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            throw e;
        } finally {
            Files.deleteIfExists(path); // the descriptors keep the memory; no name outlives this call
        }
    }

    /**
     * Maps the ring memory behind a received descriptor, and closes the descriptor (the mapping stays). It must be a
     * regular file of exactly the size of a ring of {@code capacity} bytes, with a header saying so.
     *
     * @throws IOException saying what is wrong; the descriptor is closed all the same
     */
    static RingMemory map(FileDescriptor fd, int capacity) throws IOException {
        try (FileInputStream owner = new FileInputStream(fd)) {
            // Java opens no read-write channel on a bare FileDescriptor: reopen it through /proc (the same inode)
            int number = FileDescriptorCast.using(fd).as(Integer.class);
            Path path = Path.of("/proc/self/fd/" + number);
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IOException("the ring's memory is not a regular file");
            }
            long size = RingLayout.size(capacity);
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                if (file.length() != size) {
                    throw new IOException("the ring's memory holds " + file.length() + " bytes, a ring of " + capacity
                            + " needs " + size);
                }
                RingMemory ring = new RingMemory(file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size),
                        capacity);
                String wrong = ring.checkHeader();
                if (wrong != null) {
                    ring.unmap();
                    throw new IOException("the ring's memory " + wrong);
                }
                return ring;
            }
        }
    }

    private String checkHeader() {
        if ((long) LONG.getAcquire(mapping, RingLayout.MAGIC_OFFSET) != RingLayout.MAGIC) {
            return "does not start with the ring magic";
        }
        int version = mapping.getInt(RingLayout.VERSION_OFFSET);
        if (version != RingLayout.VERSION) {
            return "has layout version " + version + ", this side knows " + RingLayout.VERSION;
        }
        int declared = mapping.getInt(RingLayout.CAPACITY_OFFSET);
        if (declared != capacity) {
            return "says capacity " + declared + ", the request " + capacity;
        }
        return null;
    }

    int capacity() {
        return capacity;
    }

    /** The mapping itself, for bulk copies; indexes from {@link RingLayout}. */
    ByteBuffer mapping() {
        return mapping;
    }

    int getIntVolatile(int index) {
        return (int) INT.getVolatile(mapping, index);
    }

    int getIntAcquire(int index) {
        return (int) INT.getAcquire(mapping, index);
    }

    void putIntVolatile(int index, int value) {
        INT.setVolatile(mapping, index, value);
    }

    void putIntRelease(int index, int value) {
        INT.setRelease(mapping, index, value);
    }

    boolean compareAndSetInt(int index, int expected, int value) {
        return INT.compareAndSet(mapping, index, expected, value);
    }

    long getLongVolatile(int index) {
        return (long) LONG.getVolatile(mapping, index);
    }

    void putLongRelease(int index, long value) {
        LONG.setRelease(mapping, index, value);
    }

    /**
     * Unmaps the memory now, through the JDK's supported {@code sun.misc.Unsafe.invokeCleaner} (module
     * jdk.unsupported); no thread may touch it afterwards (the pair makes sure none is inside). Where that is not
     * reachable the memory goes when the buffer is collected.
     */
    void unmap() {
        Cleaner.clean(mapping);
    }

    /** {@code sun.misc.Unsafe.invokeCleaner}, looked up once, from the platform class loader (no OSGi import). */
    private static final class Cleaner {
        private static final Object UNSAFE;
        private static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method invokeCleaner = null;
            try {
                Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("sun.misc.Unsafe");
                Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = field.get(null);
                invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null;
                invokeCleaner = null;
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = invokeCleaner;
        }

        static void clean(MappedByteBuffer mapping) {
            if (INVOKE_CLEANER == null) {
                return;
            }
            try {
                INVOKE_CLEANER.invoke(UNSAFE, mapping);
            } catch (ReflectiveOperationException e) {
                // left to the garbage collector
            }
        }
    }
}
