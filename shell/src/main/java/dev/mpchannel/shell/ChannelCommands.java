package dev.mpchannel.shell;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Traffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands in scope {@code mp}, for Felix's Gogo shell and Karaf's console alike: plain public methods taking
 * strings, so no shell-specific API is imported. Each returns the text to print; bad arguments throw
 * {@link IllegalArgumentException} with the usage.
 * <p>
 * The commands see every {@link Channel} service there is (a dynamic, greedy reference: channels come and go while
 * the commands stay), each by its name, the service property {@value Channel#NAME} (the channel's prefix), and
 * its role, {@value Channel#ROLE}. Every command takes {@code -c NAME} / {@code --channel NAME} to pick one;
 * without it a command uses the only channel there is, and says which there are if there are several (or how to
 * configure one if there is none). {@code mp:status} without {@code -c} shows them all.
 */
@Component(service = ChannelCommands.class, property = {
    "osgi.command.scope=mp",
    "osgi.command.function=status",
    "osgi.command.function=peers",
    "osgi.command.function=actions",
    "osgi.command.function=send",
    "osgi.command.function=request"
})
public final class ChannelCommands {
    static final String STATUS_USAGE = "mp:status [-c|--channel NAME]";
    static final String PEERS_USAGE = "mp:peers [-c|--channel NAME]";
    static final String ACTIONS_USAGE = "mp:actions [-c|--channel NAME]";
    static final String SEND_USAGE = "mp:send [-c|--channel NAME] [-p|--peer ID] ACTION [PARAMS...]";
    static final String REQUEST_USAGE =
            "mp:request [-c|--channel NAME] [-t|--timeout 500ms|2s|1m] [-p|--peer ID] ACTION [PARAMS...]";

    static final String NO_CHANNEL = "no mpchannel Channel service: configure a channel with a factory configuration "
            + "dev.mpchannel.channel (e.g. a file dev.mpchannel.channel-NAME.cfg) and install its impl bundle "
            + "(mpchannel-impl-primary or mpchannel-impl-secondary)";

    /** A channel and its role ({@code primary} or {@code secondary}), by name. */
    private record Bound(Channel channel, String role) {
    }

    private final ConcurrentSkipListMap<String, Bound> channels = new ConcurrentSkipListMap<>();

    public ChannelCommands() {
    }

    /** For tests, without OSGi: the channels by name (roles are asked of the channels). */
    ChannelCommands(Map<String, ? extends Channel> channels) {
        channels.forEach((name, channel) -> this.channels.put(name, new Bound(channel, roleOf(channel))));
    }

    @Reference(name = "channel", service = Channel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindChannel", updated = "updatedChannel")
    void bindChannel(Channel channel, Map<String, ?> properties) {
        channels.put(nameOf(channel, properties), new Bound(channel, roleOf(channel, properties)));
    }

    void updatedChannel(Channel channel, Map<String, ?> properties) {
        unbindChannel(channel, properties);
        bindChannel(channel, properties);
    }

    void unbindChannel(Channel channel, Map<String, ?> properties) {
        // by identity: the properties may have changed since the bind
        channels.values().removeIf(bound -> bound.channel() == channel);
    }

    /** mp:status: each channel's name, role, socket, state, peers and actions (all channels, or the one of -c). */
    public String status(String... args) {
        Arguments arguments = Arguments.channelOnly(STATUS_USAGE, args);
        if (arguments.channel() != null) {
            return status(arguments.channel(), select(arguments.channel(), STATUS_USAGE).getValue().channel());
        }
        NavigableMap<String, Bound> all = new TreeMap<>(channels);
        if (all.isEmpty()) {
            throw new IllegalStateException(NO_CHANNEL);
        }
        List<String> blocks = new ArrayList<>();
        all.forEach((name, bound) -> blocks.add(status(name, bound.channel())));
        return String.join("\n", blocks);
    }

    private static String status(String name, Channel channel) {
        ChannelStatus status = channel.status();
        StringBuilder out = new StringBuilder();
        out.append("name      ").append(name).append('\n');
        out.append("role      ").append(status.role().name().toLowerCase(Locale.ROOT)).append('\n');
        out.append("channel   ").append(status.prefix()).append(" at ").append(status.socketPath()).append('\n');
        out.append("state     ").append(status.state()).append('\n');
        out.append("peers     ").append(status.peers().size()).append('\n');
        out.append("bound     ").append(listOrNone(status.boundActions())).append('\n');
        out.append("refused   ").append(listOrNone(status.refusedActions()));
        if (!status.refusedActions().isEmpty()) {
            out.append("  (not on allowed.actions)");
        }
        return out.append('\n').toString();
    }

    /** mp:peers: the live peers of a channel with their credentials and traffic. */
    public String peers(String... args) {
        Arguments arguments = Arguments.channelOnly(PEERS_USAGE, args);
        ChannelStatus status = select(arguments.channel(), PEERS_USAGE).getValue().channel().status();
        if (status.peers().isEmpty()) {
            return "no peers connected (state " + status.state() + ")\n";
        }
        Table table = new Table("ID", "ROLE", "PID", "UID", "GID", "CONNECTED SINCE", "MSGS IN/OUT", "BYTES IN/OUT",
                "FDS IN/OUT", "ERRORS", "IGNORED", "TIMEOUTS");
        for (ChannelStatus.PeerStatus peer : status.peers()) {
            Peer p = peer.peer();
            Traffic t = peer.traffic();
            table.row(p.id(), p.role().name().toLowerCase(Locale.ROOT), p.pid(), p.uid(), p.gid(), p.connectedSince(),
                    t.messagesIn() + "/" + t.messagesOut(), t.bytesIn() + "/" + t.bytesOut(),
                    t.fdsIn() + "/" + t.fdsOut(), t.errors(), t.ignored(), t.timeouts());
        }
        return table.toString();
    }

    /** mp:actions: every action name a channel has seen, whether it is bound here, and its traffic. */
    public String actions(String... args) {
        Arguments arguments = Arguments.channelOnly(ACTIONS_USAGE, args);
        ChannelStatus status = select(arguments.channel(), ACTIONS_USAGE).getValue().channel().status();
        TreeSet<String> names = new TreeSet<>(status.actions().keySet());
        names.addAll(status.boundActions());
        names.addAll(status.refusedActions());
        if (names.isEmpty()) {
            return "no actions bound or seen yet\n";
        }
        Table table = new Table("ACTION", "HERE", "MSGS IN/OUT", "BYTES IN/OUT", "FDS IN/OUT", "ERRORS", "IGNORED",
                "TIMEOUTS");
        Map<String, Traffic> traffic = status.actions();
        for (String name : names) {
            Traffic t = traffic.getOrDefault(name, Traffic.NONE);
            String here = status.boundActions().contains(name) ? "bound"
                    : status.refusedActions().contains(name) ? "refused" : "-";
            table.row(name, here, t.messagesIn() + "/" + t.messagesOut(), t.bytesIn() + "/" + t.bytesOut(),
                    t.fdsIn() + "/" + t.fdsOut(), t.errors(), t.ignored(), t.timeouts());
        }
        return table.toString();
    }

    /** mp:send: sends a message on a channel (to every peer, or to one). */
    public String send(String... args) throws ChannelException {
        Arguments arguments = Arguments.parse(SEND_USAGE, false, args);
        Map.Entry<String, Bound> selected = select(arguments.channel(), SEND_USAGE);
        Channel channel = selected.getValue().channel();
        Message message = message(arguments, SEND_USAGE);
        if (arguments.peerId() != null) {
            channel.send(peer(selected.getKey(), channel, arguments.peerId()), message);
            return "written to peer " + arguments.peerId() + "\n";
        }
        int written = channel.send(message);
        return "written to " + written + " peer" + (written == 1 ? "" : "s") + "\n";
    }

    /** mp:request: makes a request on a channel and prints the aggregated replies. */
    public String request(String... args) throws ChannelException, InterruptedException {
        Arguments arguments = Arguments.parse(REQUEST_USAGE, true, args);
        Map.Entry<String, Bound> selected = select(arguments.channel(), REQUEST_USAGE);
        Channel channel = selected.getValue().channel();
        Message message = message(arguments, REQUEST_USAGE);
        Replies replies = arguments.peerId() != null
                ? channel.request(peer(selected.getKey(), channel, arguments.peerId()), message, arguments.timeout())
                : channel.request(message, arguments.timeout());
        StringBuilder out = new StringBuilder("sent " + replies.sent() + ", received " + replies.received() + "\n");
        Table table = new Table("PEER", "PID", "STATUS", "ANSWER");
        for (Reply reply : replies.replies()) {
            table.row(reply.peer().id(), reply.peer().pid(), reply.status(),
                    reply.replied() ? reply.message().paramsAsString() : reply.reason());
        }
        return replies.replies().isEmpty() ? out.toString() : out.append(table).toString();
    }

    /** The channel named {@code name}, or without a name the only one there is. */
    private Map.Entry<String, Bound> select(String name, String usage) {
        NavigableMap<String, Bound> all = new TreeMap<>(channels); // one snapshot: channels come and go meanwhile
        if (name != null) {
            Bound bound = all.get(name);
            if (bound != null) {
                return Map.entry(name, bound);
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no channel named '" + name + "': " + NO_CHANNEL);
            }
            throw new IllegalArgumentException("no channel named '" + name + "'; the channels are: " + list(all)
                    + "\nusage: " + usage);
        }
        if (all.isEmpty()) {
            throw new IllegalStateException(NO_CHANNEL);
        }
        if (all.size() > 1) {
            throw new IllegalArgumentException(all.size() + " channels: " + list(all) + "; pick one with -c NAME"
                    + "\nusage: " + usage);
        }
        return all.firstEntry();
    }

    /** {@code a (primary), b (secondary)}. */
    private static String list(NavigableMap<String, Bound> all) {
        List<String> names = new ArrayList<>();
        all.forEach((name, bound) -> names.add(name + " (" + bound.role() + ")"));
        return String.join(", ", names);
    }

    private static String nameOf(Channel channel, Map<String, ?> properties) {
        Object name = properties.get(Channel.NAME);
        return name != null && !name.toString().isBlank() ? name.toString() : channel.status().prefix();
    }

    private static String roleOf(Channel channel, Map<String, ?> properties) {
        Object role = properties.get(Channel.ROLE);
        return role != null ? role.toString() : roleOf(channel);
    }

    private static String roleOf(Channel channel) {
        return channel.role().name().toLowerCase(Locale.ROOT);
    }

    private static Message message(Arguments arguments, String usage) {
        try {
            return Message.of(arguments.action(), arguments.params());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\nusage: " + usage, e);
        }
    }

    private static Peer peer(String channelName, Channel channel, long id) {
        return channel.peers().stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no peer with id " + id + " on channel " + channelName + " (see mp:peers -c " + channelName + ")"));
    }

    private static String listOrNone(java.util.Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(names));
    }
}
