package dev.mpchannel.health;

import dev.mpchannel.rings.RingStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shared-memory rings of this process say about their health: per open pair, WARN when this side's writer
 * found its ring full since the previous execution (the peer reads slower than this side writes: records wait, and
 * the writer retries or gives up), OK otherwise. Worked out without the HC API, so that it can be tested alone.
 *
 * @param findings the lines of the result, one per pair (one saying none is open when none is)
 * @param full     per pair, how often its writer found the ring full so far: the baseline of the next execution
 */
record RingsVerdict(List<Finding> findings, Map<String, Long> full) {

    static RingsVerdict of(List<RingStatus> pairs, Map<String, Long> previousFull) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Long> full = new HashMap<>();
        for (RingStatus pair : pairs) {
            String key = pair.channel() + "/" + pair.name() + "/" + pair.peerPid() + "/" + pair.opener();
            String what = "pair '" + pair.name() + "' on channel '" + pair.channel() + "' with pid " + pair.peerPid();
            if (pair.out() == null) {
                findings.add(new Finding(Health.OK, what + ": reads " + pair.in().records() + " records"));
                continue;
            }
            long fullNow = pair.out().parks();
            full.put(key, fullNow);
            long grew = fullNow - previousFull.getOrDefault(key, 0L);
            if (grew > 0) {
                findings.add(new Finding(Health.WARN, what + ": its ring to the peer was full " + grew + " time(s)"
                        + " since the previous check (the peer reads slower than this side writes)"));
            } else {
                findings.add(new Finding(Health.OK, what + ": " + pair.out().records() + " records written"
                        + (pair.in() == null ? "" : ", " + pair.in().records() + " read")));
            }
        }
        if (findings.isEmpty()) {
            findings.add(new Finding(Health.OK, "no ring pair is open"));
        }
        return new RingsVerdict(List.copyOf(findings), Map.copyOf(full));
    }
}
