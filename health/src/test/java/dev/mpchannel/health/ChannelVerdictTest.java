package dev.mpchannel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpchannel.api.ChannelStatus.State;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChannelVerdictTest {
    private static final Optional<ProblemCounters> SEEN_NOTHING_WRONG = Optional.of(ProblemCounters.NONE);

    @Test
    void aListeningPrimaryIsOkAndSaysWhereAndHowManyPeers() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.primary(2), SEEN_NOTHING_WRONG);
        assertEquals(Health.OK, verdict.health());
        assertEquals(List.of("primary listening on " + Statuses.SOCKET + ", 2 secondaries connected",
                "counters: errors 0, ignored 0, timeouts 0"), texts(verdict));
        assertEquals("primary listening on " + Statuses.SOCKET + ", 1 secondary connected",
                texts(ChannelVerdict.of(Statuses.primary(1), SEEN_NOTHING_WRONG)).get(0));
        assertEquals(Health.OK, ChannelVerdict.of(Statuses.primary(0), SEEN_NOTHING_WRONG).health());
    }

    @Test
    void aConnectedSecondaryIsOkAndNamesItsPrimary() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.secondary(State.CONNECTED), SEEN_NOTHING_WRONG);
        assertEquals(Health.OK, verdict.health());
        assertEquals("secondary connected to " + Statuses.SOCKET + ", its primary is pid 4242", texts(verdict).get(0));
    }

    @Test
    void aConnectingSecondaryWarns() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.secondary(State.CONNECTING), SEEN_NOTHING_WRONG);
        assertEquals(Health.WARN, verdict.health());
        assertTrue(texts(verdict).get(0).startsWith("secondary connecting to " + Statuses.SOCKET + ": no primary"));
    }

    @Test
    void aClosedChannelIsCritical() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.secondary(State.CLOSED), SEEN_NOTHING_WRONG);
        assertEquals(Health.CRITICAL, verdict.health());
        assertEquals("secondary on " + Statuses.SOCKET + " is closed: it sends and receives nothing until its "
                + "configuration changes", texts(verdict).get(0));
    }

    @Test
    void aChannelThatDoesNotRunIsCriticalWithTheReason() {
        ChannelVerdict verdict = ChannelVerdict.notRunning(Optional.of("waits: it is to be the secondary, but bundle "
                + "mpchannel-impl-secondary is not active; it starts when that bundle does"));
        assertEquals(Health.CRITICAL, verdict.health());
        assertEquals(List.of("does not run: waits: it is to be the secondary, but bundle mpchannel-impl-secondary is "
                + "not active; it starts when that bundle does"), texts(verdict));
        assertEquals(ProblemCounters.NONE, verdict.counters());
        assertEquals(List.of("does not run: no reason given"), texts(ChannelVerdict.notRunning(Optional.empty())));
    }

    @Test
    void problemsCountedSinceThePreviousCheckWarnBySayingHowManyMore() {
        ProblemCounters previous = new ProblemCounters(1, 2, 3);
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.primaryWithProblems(1, 3, 5), Optional.of(previous));
        assertEquals(Health.WARN, verdict.health());
        assertEquals(List.of(
                "primary listening on " + Statuses.SOCKET + ", 0 secondaries connected",
                "ignored requests (an unknown action, or one the whitelist refuses): 1 more since the previous check "
                        + "(3 in all)",
                "timeouts (requests a peer did not answer in time): 2 more since the previous check (5 in all)",
                "counters: errors 1, ignored 3, timeouts 5"), texts(verdict));
        assertEquals(new ProblemCounters(1, 3, 5), verdict.counters(), "the next check's baseline");
    }

    @Test
    void theSameCountsAtTheNextCheckAreOkAgain() {
        ChannelVerdict first = ChannelVerdict.of(Statuses.primaryWithProblems(4, 1, 0), SEEN_NOTHING_WRONG);
        assertEquals(Health.WARN, first.health());
        ChannelVerdict next = ChannelVerdict.of(Statuses.primaryWithProblems(4, 1, 0), Optional.of(first.counters()));
        assertEquals(Health.OK, next.health());
        assertEquals("counters: errors 4, ignored 1, timeouts 0", texts(next).get(1));
    }

    @Test
    void theFirstCheckOfAChannelCountsEverythingSinceTheChannelStarted() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.primaryWithProblems(2, 0, 0), Optional.empty());
        assertEquals(Health.WARN, verdict.health());
        assertEquals("errors (failed writes, failed actions, error answers): 2 more since the channel started "
                + "(2 in all)", texts(verdict).get(1));
        assertEquals(Health.OK, ChannelVerdict.of(Statuses.primary(1), Optional.empty()).health());
    }

    @Test
    void aClosedChannelIsCriticalWithoutCounterWarnings() {
        ChannelVerdict verdict = ChannelVerdict.of(Statuses.secondary(State.CLOSED), Optional.empty());
        assertEquals(List.of(Health.CRITICAL, Health.OK),
                verdict.findings().stream().map(Finding::health).collect(Collectors.toList()));
    }

    private static List<String> texts(ChannelVerdict verdict) {
        return verdict.findings().stream().map(Finding::text).collect(Collectors.toList());
    }
}
