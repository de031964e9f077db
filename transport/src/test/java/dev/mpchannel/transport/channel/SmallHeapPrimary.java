package dev.mpchannel.transport.channel;

import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.FrameLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A primary in a JVM of its own, for {@link PeerMemoryTest}: started with a small heap, it shows what peers can make
 * it allocate. Arguments: the socket directory, {@code max.message.bytes}, {@code inline.max.bytes}. It answers
 * {@code test.echo} with the request's parameters, prints {@code ready} once it listens, logs to stderr, and ends
 * when its stdin closes (so that it never outlives the test that started it).
 */
public final class SmallHeapPrimary {
    private SmallHeapPrimary() {
    }

    public static void main(String[] args) throws Exception {
        FrameLimits limits = new FrameLimits(Integer.parseInt(args[1]), 4, Integer.parseInt(args[2]));
        Capacity capacity = new Capacity(2, 1024, 4096, Duration.ofSeconds(30));
        try (LocalChannels channels = LocalChannels.start(Path.of(args[0]), capacity, limits, "test.*")) {
            channels.primary().actions().bind("test.echo", context -> context.message(), false);
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close stdin
            }
        }
    }
}
