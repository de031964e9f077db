package dev.mpchannel.transport.channel.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caller's spin: it sees a reply that comes while it spins, and backs off after spins that missed. */
class ReplySpinTest {
    /** A reply that never comes, counting how often the caller looked at it. */
    private static final class NeverAnswered extends CompletableFuture<Void> {
        final AtomicInteger looks = new AtomicInteger();

        @Override
        public boolean isDone() {
            looks.incrementAndGet();
            return false;
        }
    }

    @BeforeEach
    void severalCpus() {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "with one CPU the channel never spins");
    }

    @Test
    void aReplyThatComesWhileSpinningEndsTheSpin() throws Exception {
        ReplySpin spin = new ReplySpin(Duration.ofSeconds(30)); // only reached if the reply is never seen
        CompletableFuture<Void> reply = new CompletableFuture<>();
        Thread answerer = new Thread(() -> reply.complete(null));
        answerer.start();
        spin.spinFor(reply);
        assertTrue(reply.isDone());
        answerer.join();
    }

    @Test
    void aMissedSpinMakesTheNextRequestsParkAtOnceTwiceAsLongEachTime() {
        ReplySpin spin = new ReplySpin(Duration.ofNanos(20_000));
        assertEquals(true, spun(spin), "the first request spins");
        assertEquals(false, spun(spin), "after one miss, one request skips the spin");
        assertEquals(true, spun(spin));
        assertEquals(false, spun(spin), "after a second miss, two requests skip it");
        assertEquals(false, spun(spin));
        assertEquals(true, spun(spin));
    }

    @Test
    void aZeroSpinNeverLooks() {
        NeverAnswered reply = new NeverAnswered();
        new ReplySpin(Duration.ZERO).spinFor(reply);
        assertEquals(0, reply.looks.get());
    }

    /** Whether the caller spun: it looked at the reply more than the once that tells it is not there yet. */
    private static boolean spun(ReplySpin spin) {
        NeverAnswered reply = new NeverAnswered();
        spin.spinFor(reply);
        return reply.looks.get() > 1;
    }
}
