package dev.mpchannel.transport.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peer's segments as one connection keeps them mapped, by file (device and inode): mapped read-only once, whole,
 * so that a message in a segment seen before costs no mapping and no page fault. At most as many as a peer lends
 * ({@value SegmentPool#MOST_SEGMENTS}, each at most {@value SegmentPool#MOST_BYTES} bytes), the least recently used
 * let go first; a mapping let go stays readable by whatever still reads it, and is unmapped when the garbage collector
 * finds it unreachable. Only the reading thread uses it.
 */
final class SegmentMappings {
    private final Map<Object, ByteBuffer> byFile = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, ByteBuffer> eldest) {
            return size() > SegmentPool.MOST_SEGMENTS;
        }
    };

    /**
     * The whole segment {@code file} (identified by {@code key}, {@code size} bytes long) mapped, from before or now;
     * {@code null} if it cannot be told apart from other files or is larger than a peer of this version lends.
     */
    synchronized ByteBuffer of(Object key, long size, FileChannel file) throws IOException {
        if (key == null || size > SegmentPool.MOST_BYTES) {
            return null;
        }
        ByteBuffer mapped = byFile.get(key);
        if (mapped == null || mapped.capacity() < size) { // a file is kept alive by its mapping: its key stays its own
            mapped = file.map(FileChannel.MapMode.READ_ONLY, 0, size);
            byFile.put(key, mapped);
        }
        return mapped;
    }

    /** Lets go of every mapping (what still reads one keeps it until collected). */
    synchronized void clear() {
        byFile.clear();
    }
}
