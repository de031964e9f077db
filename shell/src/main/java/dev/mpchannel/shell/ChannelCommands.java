package dev.mpchannel.shell;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Traffic;
import java.util.Map;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands in scope {@code mp}, for Felix's Gogo shell and Karaf's console alike: plain public methods taking
 * strings, so no shell-specific API is imported. Each returns the text to print; bad arguments throw
 * {@link IllegalArgumentException} with the usage.
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
    static final String SEND_USAGE = "mp:send [-p|--peer ID] ACTION [PARAMS...]";
    static final String REQUEST_USAGE = "mp:request [-t|--timeout 500ms|2s|1m] [-p|--peer ID] ACTION [PARAMS...]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Channel channel;

    public ChannelCommands() {
    }

    ChannelCommands(Channel channel) {
        this.channel = channel;
    }

    /** mp:status: the channel's role, socket, state, peers and actions. */
    public String status() {
        ChannelStatus status = channel().status();
        StringBuilder out = new StringBuilder();
        out.append("role      ").append(status.role().name().toLowerCase()).append('\n');
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

    /** mp:peers: the live peers with their credentials and traffic. */
    public String peers() {
        ChannelStatus status = channel().status();
        if (status.peers().isEmpty()) {
            return "no peers connected (state " + status.state() + ")\n";
        }
        Table table = new Table("ID", "ROLE", "PID", "UID", "GID", "CONNECTED SINCE", "MSGS IN/OUT", "BYTES IN/OUT",
                "FDS IN/OUT", "ERRORS", "IGNORED", "TIMEOUTS");
        for (ChannelStatus.PeerStatus peer : status.peers()) {
            Peer p = peer.peer();
            Traffic t = peer.traffic();
            table.row(p.id(), p.role().name().toLowerCase(), p.pid(), p.uid(), p.gid(), p.connectedSince(),
                    t.messagesIn() + "/" + t.messagesOut(), t.bytesIn() + "/" + t.bytesOut(),
                    t.fdsIn() + "/" + t.fdsOut(), t.errors(), t.ignored(), t.timeouts());
        }
        return table.toString();
    }

    /** mp:actions: every action name seen, whether it is bound here, and its traffic. */
    public String actions() {
        ChannelStatus status = channel().status();
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

    /** mp:send: sends a message (to every peer, or to one). */
    public String send(String... args) throws ChannelException {
        Arguments arguments = Arguments.parse(SEND_USAGE, false, args);
        Channel channel = channel();
        Message message = message(arguments, SEND_USAGE);
        if (arguments.peerId() != null) {
            channel.send(peer(channel, arguments.peerId()), message);
            return "written to peer " + arguments.peerId() + "\n";
        }
        int written = channel.send(message);
        return "written to " + written + " peer" + (written == 1 ? "" : "s") + "\n";
    }

    /** mp:request: makes a request and prints the aggregated replies. */
    public String request(String... args) throws ChannelException, InterruptedException {
        Arguments arguments = Arguments.parse(REQUEST_USAGE, true, args);
        Channel channel = channel();
        Message message = message(arguments, REQUEST_USAGE);
        Replies replies = arguments.peerId() != null
                ? channel.request(peer(channel, arguments.peerId()), message, arguments.timeout())
                : channel.request(message, arguments.timeout());
        StringBuilder out = new StringBuilder("sent " + replies.sent() + ", received " + replies.received() + "\n");
        Table table = new Table("PEER", "PID", "STATUS", "ANSWER");
        for (Reply reply : replies.replies()) {
            table.row(reply.peer().id(), reply.peer().pid(), reply.status(),
                    reply.replied() ? reply.message().paramsAsString() : reply.reason());
        }
        return replies.replies().isEmpty() ? out.toString() : out.append(table).toString();
    }

    private Channel channel() {
        Channel current = channel;
        if (current == null) {
            throw new IllegalStateException("no mpchannel Channel service: is configuration dev.mpchannel present "
                    + "with a role, and its impl bundle installed?");
        }
        return current;
    }

    private static Message message(Arguments arguments, String usage) {
        try {
            return Message.of(arguments.action(), arguments.params());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "\nusage: " + usage, e);
        }
    }

    private static Peer peer(Channel channel, long id) {
        return channel.peers().stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer with id " + id + " (see mp:peers)"));
    }

    private static String listOrNone(java.util.Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(names));
    }
}
