package dev.mpchannel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.rings.RingStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingsVerdictTest {
    private static RingStatus pair(String name, long full, long written) {
        return new RingStatus("vswitch", name, 4242, true, new RingStatus.Counters(1 << 20, written, written * 64,
                full, 0), new RingStatus.Counters(1 << 20, 7, 448, 3, 3));
    }

    @Test
    void noPairIsOk() {
        RingsVerdict verdict = RingsVerdict.of(List.of(), Map.of());
        assertEquals(List.of(new Finding(Health.OK, "no ring pair is open")), verdict.findings());
    }

    @Test
    void aRingFoundFullSinceThePreviousCheckWarnsOnceAndOnlyThen() {
        RingsVerdict first = RingsVerdict.of(List.of(pair("packets", 2, 100), pair("stats", 0, 5)), Map.of());
        assertEquals(Health.WARN, first.findings().get(0).health(), first.findings().toString());
        assertEquals("pair 'packets' on channel 'vswitch' with pid 4242: its ring to the peer was full 2 time(s) since "
                + "the previous check (the peer reads slower than this side writes)", first.findings().get(0).text());
        assertEquals(new Finding(Health.OK, "pair 'stats' on channel 'vswitch' with pid 4242: 5 records written, 7 read"),
                first.findings().get(1));

        RingsVerdict same = RingsVerdict.of(List.of(pair("packets", 2, 200)), first.full());
        assertEquals(Health.OK, same.findings().get(0).health(), "nothing new since: " + same.findings());
        RingsVerdict again = RingsVerdict.of(List.of(pair("packets", 5, 300)), same.full());
        assertEquals(Health.WARN, again.findings().get(0).health());
        assertEquals(true, again.findings().get(0).text().contains("full 3 time(s)"), again.findings().toString());
    }

    @Test
    void aPairThatOnlyReadsIsOk() {
        RingStatus reader = new RingStatus("vswitch", "in", 4242, false, null, new RingStatus.Counters(1 << 20, 9, 576,
                1, 1));
        assertEquals(List.of(new Finding(Health.OK, "pair 'in' on channel 'vswitch' with pid 4242: reads 9 records")),
                RingsVerdict.of(List.of(reader), Map.of()).findings());
    }
}
