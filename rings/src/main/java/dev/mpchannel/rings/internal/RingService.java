package dev.mpchannel.rings.internal;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.PeerListener;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.rings.RingAcceptor;
import dev.mpchannel.rings.RingOptions;
import dev.mpchannel.rings.RingPair;
import dev.mpchannel.rings.RingStatus;
import dev.mpchannel.rings.Rings;
import java.io.FileDescriptor;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rings of this process: opens pairs ({@link Rings}), takes the peers' requests to open and close them (the
 * action {@value Rings#ACTION}) and hands opened pairs to the {@link RingAcceptor} of their name, and closes every
 * pair of a peer whose connection ended ({@link PeerListener}: the peer exited, was killed, or the channel closed).
 */
@Component(service = {Rings.class, Action.class, PeerListener.class}, property = Action.NAME + "=" + Rings.ACTION)
public final class RingService implements Rings, Action, PeerListener {
    private static final Logger LOG = LoggerFactory.getLogger(RingService.class);

    /** One connection of one peer on one channel, and a pair's id within it. */
    private record Key(String channel, long peerId, Object connectedSince, long id) {
        static Key of(Peer peer, long id) {
            return new Key(peer.channel(), peer.id(), peer.connectedSince(), id);
        }

        boolean sameConnection(Peer peer) {
            return channel.equals(peer.channel()) && peerId == peer.id()
                    && connectedSince.equals(peer.connectedSince());
        }
    }

    private final SecureRandom ids = new SecureRandom();
    private final Map<Key, SharedRingPair> pairs = new ConcurrentHashMap<>();
    private final Map<String, RingAcceptor> acceptors = new ConcurrentHashMap<>();
    private volatile boolean active = true;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAcceptor(RingAcceptor acceptor, Map<String, Object> properties) {
        Object name = properties.get(RingAcceptor.NAME);
        if (name instanceof String text) {
            acceptors.put(text, acceptor);
        } else {
            LOG.warn("a RingAcceptor without the property {} takes no pairs", RingAcceptor.NAME);
        }
    }

    void unbindAcceptor(RingAcceptor acceptor, Map<String, Object> properties) {
        acceptors.values().remove(acceptor);
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (SharedRingPair pair : List.copyOf(pairs.values())) {
            pair.closeWith("the rings bundle stopped", true);
        }
    }

    @Override
    public RingPair open(Channel channel, Peer peer, String name, RingOptions options, Duration timeout)
            throws ChannelException, IOException, InterruptedException {
        OpenRequest request = new OpenRequest(name, ids.nextLong(), options.toPeer(), options.fromPeer());
        PairFactory.Opened opened = PairFactory.open(channel.name(), request, peer, (pair, tell) -> closed(pair, tell,
                channel));
        SharedRingPair pair = opened.pair();
        Replies replies;
        try {
            Message open = Message.of(ACTION, request.encode()).withFileDescriptors(opened.descriptors());
            replies = channel.request(peer, open, timeout);
        } catch (ChannelException | InterruptedException | RuntimeException e) {
            pair.closeWith("the open request failed", false);
            throw e;
        } finally {
            opened.close();
        }
        Reply reply = replies.replies().isEmpty() ? null : replies.replies().get(0);
        if (reply == null || !reply.replied()) {
            String why = reply == null ? "no answer"
                    : reply.status() + (reply.reason().isEmpty() ? "" : ": " + reply.reason());
            pair.closeWith("the peer did not take it", false);
            throw new IOException("peer pid " + peer.pid() + " did not take ring pair '" + name + "' on channel '"
                    + channel.name() + "' (" + why + ")");
        }
        register(pair, channel);
        return pair;
    }

    @Override
    public Message handle(ActionContext context) throws Exception {
        byte[] params = context.message().params();
        String verb = OpenRequest.verb(params);
        if (OpenRequest.CLOSE.equals(verb)) {
            SharedRingPair pair = pairs.get(Key.of(context.peer(), OpenRequest.closeId(params)));
            if (pair != null) {
                pair.closeFromPeer("the peer closed it");
            }
            return null;
        }
        if (!OpenRequest.OPEN.equals(verb)) {
            throw new IllegalArgumentException("unknown rings request (neither open nor close)");
        }
        List<FileDescriptor> fds = context.takeFileDescriptors();
        OpenRequest request;
        try {
            request = OpenRequest.decode(params);
        } catch (RuntimeException e) {
            closeAll(fds);
            throw e;
        }
        RingAcceptor acceptor = acceptors.get(request.name());
        if (acceptor == null || !active) {
            closeAll(fds);
            throw new IOException("no RingAcceptor takes ring pairs named '" + request.name() + "' here");
        }
        Channel channel = context.channel();
        SharedRingPair pair = PairFactory.accept(channel.name(), request, context.peer(), fds,
                (closing, tell) -> closed(closing, tell, channel));
        try {
            acceptor.accepted(pair);
        } catch (Exception e) {
            pair.closeWith("the acceptor refused it", false);
            throw e;
        }
        register(pair, channel);
        return Message.of(ACTION, "ok");
    }

    private void register(SharedRingPair pair, Channel channel) {
        Key key = Key.of(pair.peer(), pair.id());
        pairs.put(key, pair);
        if (pair.isClosed()) {
            pairs.remove(key, pair);
        } else if (!active || channel.peers().stream().noneMatch(key::sameConnection)) {
            pair.closeFromPeer("the peer's connection ended"); // it ended before the pair was in the map
        } else {
            LOG.info("ring pair '{}' with pid {} on channel '{}' open ({})", pair.name(), pair.peer().pid(),
                    channel.name(), pair.status());
        }
    }

    private void closed(SharedRingPair pair, boolean tellPeer, Channel channel) {
        pairs.remove(Key.of(pair.peer(), pair.id()), pair);
        LOG.info("ring pair '{}' with pid {} on channel '{}' closed: {}", pair.name(), pair.peer().pid(),
                pair.channel(), pair.closedReason());
        if (tellPeer) {
            try {
                channel.send(pair.peer(), Message.of(ACTION, OpenRequest.encodeClose(pair.id())));
            } catch (ChannelException e) {
                // the peer is gone or going: its side closes when its channel tells it
            }
        }
    }

    @Override
    public void left(Peer peer, String reason) {
        for (SharedRingPair pair : List.copyOf(pairs.values())) {
            if (Key.of(pair.peer(), pair.id()).sameConnection(peer)) {
                pair.closeFromPeer("the peer's connection ended (" + reason + ")");
            }
        }
    }

    @Override
    public List<RingStatus> status() {
        return pairs.values().stream().map(SharedRingPair::status).toList();
    }

    private static void closeAll(List<FileDescriptor> fds) {
        for (FileDescriptor fd : fds) {
            try {
                new java.io.FileInputStream(fd).close();
            } catch (IOException e) {
                // closing what a peer sent
            }
        }
    }
}
