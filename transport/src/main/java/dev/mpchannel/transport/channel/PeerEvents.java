package dev.mpchannel.transport.channel;

import dev.mpchannel.api.Peer;
import dev.mpchannel.api.PeerListener;
import dev.mpchannel.transport.channel.peer.DaemonThreads;
import dev.mpchannel.transport.text.Printable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.service.component.ComponentServiceObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a channel's {@link PeerListener}s that peers joined and left: one event at a time, in order, on a thread of
 * the channel's own ({@code mpchannel-events-<name>-N}, none while there is nothing to tell), so a slow listener holds
 * up no reader or action. Each listener hears of each peer {@code joined} once, then {@code left} once; one bound
 * while peers are connected first hears that they joined.
 */
public final class PeerEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PeerEvents.class);

    private final String name;
    private final Supplier<List<Peer>> connected;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor thread;

    /**
     * @param name      the channel's name, for the thread and the log
     * @param connected the peers connected now, for a listener that comes late
     */
    PeerEvents(String name, Supplier<List<Peer>> connected) {
        this.name = name;
        this.connected = connected;
        this.thread = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DaemonThreads("mpchannel-events-" + name + "-"));
    }

    /** Adds a listener service, fetched on the events thread when it is first told something. */
    public void add(ComponentServiceObjects<PeerListener> service) {
        add(new Listener(service, null));
    }

    /** Adds a listener object. */
    public void add(PeerListener listener) {
        add(new Listener(null, listener));
    }

    /**
     * Adds the listener at once (so that {@link #remove} finds it), but it hears only what is told after its turn on
     * the events thread: the events still queued then happened before it came, and the peers connected then are what
     * it hears of first.
     */
    private void add(Listener listener) {
        listeners.add(listener);
        run(() -> {
            listener.listening = true;
            connected.get().forEach(listener::joined);
        });
    }

    /** Removes a listener (the service or the object given to {@code add}); it is told nothing more. */
    public void remove(Object key) {
        for (Listener listener : listeners) {
            if (listener.service == key || listener.fetched == key && listener.service == null) {
                listeners.remove(listener);
                listener.removed = true;
                run(listener::release);
            }
        }
    }

    void joined(Peer peer) {
        run(() -> listeners.forEach(listener -> listener.joined(peer)));
    }

    void left(Peer peer, String reason) {
        run(() -> listeners.forEach(listener -> listener.left(peer, reason)));
    }

    /** Tells what is queued, then lets the thread end; nothing is told after. */
    void close() {
        thread.shutdown();
    }

    private void run(Runnable event) {
        try {
            thread.execute(event);
        } catch (RejectedExecutionException closed) {
            // the channel closed: its listeners have heard the last of it
        }
    }

    /**
     * One listener and the peers it knows of. A service is fetched when first told something and released when
     * removed; all of it on the events thread, but for {@code removed}.
     */
    private final class Listener {
        private final ComponentServiceObjects<PeerListener> service;
        private volatile PeerListener fetched;
        private final Set<Peer> known = new HashSet<>();
        private boolean listening; // on the events thread: from its turn on
        private volatile boolean removed;

        Listener(ComponentServiceObjects<PeerListener> service, PeerListener object) {
            this.service = service;
            this.fetched = object;
        }

        void joined(Peer peer) {
            if (listening && !removed && known.add(peer)) {
                tell(listener -> listener.joined(peer), "joined", peer);
            }
        }

        void left(Peer peer, String reason) {
            if (listening && !removed && known.remove(peer)) {
                tell(listener -> listener.left(peer, reason), "left", peer);
            }
        }

        void release() {
            if (service != null && fetched != null) {
                try {
                    service.ungetService(fetched);
                } catch (RuntimeException alreadyGone) {
                    // its bundle stopped: nothing left to release
                }
            }
        }

        private void tell(Consumer<PeerListener> call, String event, Peer peer) {
            try {
                if (fetched == null) {
                    fetched = service.getService();
                }
                call.accept(fetched);
            } catch (RuntimeException | Error e) { // a listener's failure is its own: the others still hear
                LOG.warn("channel '{}': a peer listener failed on '{}' for {}: {}", name, event, peer,
                        Printable.escape(String.valueOf(e)));
            }
        }
    }
}
