package dev.mpchannel.rings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.rings.RingOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingCommandTest {
    @Test
    void eachRingIsOneLineWithItsCounters() throws Exception {
        assertEquals("no ring pairs open", RingCommand.format(List.of()));
        try (LocalPair pair = LocalPair.open(RingOptions.toPeer(RingOptions.MIN_CAPACITY))) {
            pair.opener.writer().offer(new byte[10], 0, 10);
            String table = RingCommand.format(List.of(pair.opener.status(), pair.acceptor.status()));
            String[] lines = table.split("\n");
            assertEquals(3, lines.length, table);
            assertTrue(lines[1].matches("local +test +\\d+ +here +out +4096 +1 +10 +0 +0"), lines[1]);
            assertTrue(lines[2].matches("local +test +\\d+ +peer +in +4096 +0 +0 +0 +0"), lines[2]);
        }
    }
}
