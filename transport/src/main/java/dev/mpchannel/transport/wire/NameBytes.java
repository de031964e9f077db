package dev.mpchannel.transport.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Action names as UTF-8, encoded once: a channel uses a handful of names for millions of frames, and encoding one
 * per frame (to write it, and again to count its bytes) is an allocation per frame for nothing. The cache stops
 * growing at {@value #MAX_CACHED} names, so a sender inventing names cannot grow it without bound.
 */
final class NameBytes {
    private static final int MAX_CACHED = 1024;
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private NameBytes() {
    }

    /** The name's UTF-8 bytes; the array is shared, never to be modified. */
    static byte[] of(String name) {
        byte[] bytes = CACHE.get(name);
        if (bytes == null) {
            bytes = name.getBytes(StandardCharsets.UTF_8);
            if (CACHE.size() < MAX_CACHED) {
                CACHE.putIfAbsent(name, bytes);
            }
        }
        return bytes;
    }
}
