package dev.mpchannel.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
    @Test
    void fanOutSecondariesAreSpreadOverJvmsOfAtMost24() {
        assertEquals(List.of(3, 12, 24, 24), FanoutHosts.sizes(Spec.of("quick"))); // 1 + 3 = 4, + 12 = 16, + 48 = 64
        assertEquals(List.of(1, 1), FanoutHosts.sizes(Spec.of("smoke")));
        assertEquals(List.of(24, 24, 2), FanoutHosts.chunks(50, 24));
        assertEquals(List.of(), FanoutHosts.chunks(0, 24));
    }

    @Test
    void modesAreSmokeQuickFull() {
        assertEquals(1000, Spec.of("quick").scale());
        assertThrows(IllegalArgumentException.class, () -> Spec.of("fast"));
        assertEquals(List.of("150000", "20000", "64,1024", "50000:5", "65536:300,1048576:30,16777216:5"),
                Spec.of("quick").clientArgs());
    }
}
