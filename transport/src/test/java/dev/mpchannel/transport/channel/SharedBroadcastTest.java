package dev.mpchannel.transport.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.Await;
import dev.mpchannel.transport.channel.peer.Capacity;
import dev.mpchannel.transport.wire.FrameLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broadcast of parameters in shared memory writes them to /dev/shm once, whatever the number of secondaries. */
class SharedBroadcastTest {
    @TempDir
    Path dir;

    @Test
    void aBroadcastOfLargeParametersSharesOneFileWithEverySecondary() throws Exception {
        FrameLimits limits = new FrameLimits(1 << 20, 4, 1024); // over 1 KiB travels in shared memory
        try (LocalChannels channels = LocalChannels.start(dir, new Capacity(2, 1024, 4096, Duration.ofSeconds(30)),
                limits, "test.*")) {
            List<Message> received = new CopyOnWriteArrayList<>(); // held: a mapping lasts while its buffer lives
            for (int i = 0; i < 3; i++) {
                channels.connectSecondary("test.*").actions().bind("test.big", context -> {
                    received.add(context.message());
                    return null;
                }, false);
            }
            Set<String> before = sharedFilesMapped();
            byte[] params = new byte[64 * 1024];
            Arrays.fill(params, (byte) 7);
            assertEquals(3, channels.primary().send(Message.of("test.big", params)));
            assertEquals(3, (int) Await.value(received::size, 3));
            for (Message m : received) {
                ByteBuffer bytes = m.paramsBuffer();
                assertEquals(params.length, bytes.remaining());
                assertEquals(7, bytes.get(bytes.limit() - 1));
            }
            Set<String> created = sharedFilesMapped();
            created.removeAll(before);
            assertEquals(1, created.size(), "shared-memory files behind the 3 secondaries' parameters: " + created);
        }
    }

    /** The /dev/shm files of shared parameters this JVM has mapped, by inode (unlinked, so a name may recur). */
    private static Set<String> sharedFilesMapped() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains("mpchannel-") && line.contains(".params"))
                .map(line -> line.trim().split("\\s+")[4])
                .collect(Collectors.toSet());
    }
}
