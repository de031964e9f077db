package dev.mpchannel.transport.channel.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.channel.LocalChannels;
import dev.mpchannel.transport.channel.action.ActionRegistry;
import dev.mpchannel.transport.channel.action.ActionTraffic;
import dev.mpchannel.transport.channel.action.Whitelist;
import dev.mpchannel.transport.wire.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.pastalab.fray.core.observers.TimelineCoverageType;
import org.pastalab.fray.core.randomness.ControlledRandomProvider;
import org.pastalab.fray.core.scheduler.POSScheduler;
import org.pastalab.fray.junit.plain.FrayInTestLauncher;

/**
 * Controlled concurrency testing (Fray) of one peer's reading, dispatch, inline runs and hand-offs: a reader, the
 * watch handing the reading off at every chance, and the action pool, over an in-memory connection; Fray explores
 * their interleavings. Per-peer order, at most once, no lost wake-up (every frame handled), no deadlock, and the
 * session ends once closed. {@code -Dfray.iterations=N} explores N schedules per test instead of the bounded default.
 */
class PeerOrderFrayTest {
    private static final int DEFAULT_ITERATIONS = 300;

    @Test
    void framesOfOnePeerAreHandledOnceEachInOrderWhateverTheHandOffs() {
        explore(() -> {
            int frames = 3;
            List<String> handled = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(frames);
            ActionRegistry actions = new ActionRegistry(Whitelist.of("test.*"));
            actions.bind("test.seq", context -> {
                handled.add(context.message().paramsAsString());
                all.countDown();
                return null;
            }, false);
            MemoryConnection connection = new MemoryConnection(1);
            try (OnePeer peer = OnePeer.start(connection, actions)) {
                for (int i = 0; i < frames; i++) { // one read each: each is the last of its read
                    connection.arrive(Frame.message(Message.of("test.seq", Integer.toString(i))));
                }
                await(all);
                peer.close();
                peer.session().gone().join();
            }
            assertEquals(List.of("0", "1", "2"), handled);
        });
    }

    private static void explore(Runnable test) {
        int iterations = Integer.getInteger("fray.iterations", 0);
        // Fray stops a run at its timeout (s) whatever the iterations: a long run asked for gets a day
        FrayInTestLauncher.INSTANCE.launchFray(test, new POSScheduler(), new ControlledRandomProvider(),
                iterations > 0 ? iterations : DEFAULT_ITERATIONS, iterations > 0 ? 86_400 : 120, false,
                TimelineCoverageType.RESOURCE_ORDERING, config -> kotlin.Unit.INSTANCE);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** One peer's session, its dispatcher and a watch that hands off any action it sees; a thread per pool task. */
    static final class OnePeer implements AutoCloseable {
        private final PeerSession session;
        private final ReaderWatch watch;

        private OnePeer(PeerSession session, ReaderWatch watch) {
            this.session = session;
            this.watch = watch;
        }

        static OnePeer start(MemoryConnection connection, ActionRegistry actions) {
            Executor pool = task -> new Thread(task, "pool").start();
            ActionTraffic traffic = new ActionTraffic();
            List<PeerSession> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
            ReaderWatch watch = new ReaderWatch(Duration.ofNanos(1), () -> sessions, "fray");
            // no Channel: the action here never sends, and the order of its runs is all this test looks at
            Dispatcher dispatcher = new Dispatcher(actions, LocalChannels.LIMITS, traffic, watch, null);
            PeerSession session = new PeerSession(connection, pool, 8, watch, traffic, Duration.ofSeconds(5),
                    new PeerSession.Inbound() {
                        @Override
                        public void received(PeerSession from, List<Frame> frames) {
                            dispatcher.dispatch(from, frames);
                        }

                        @Override
                        public void gone(PeerSession gone, String why) {
                        }
                    }, "fray");
            sessions.add(session);
            session.startReading();
            return new OnePeer(session, watch);
        }

        PeerSession session() {
            return session;
        }

        @Override
        public void close() {
            session.close();
            watch.close();
        }
    }
}
