package dev.mpchannel.shell;

import static dev.mpchannel.shell.Arguments.channelName;
import static dev.mpchannel.shell.Arguments.message;
import static dev.mpchannel.shell.Arguments.peerId;
import static dev.mpchannel.shell.Arguments.timeout;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelException;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.channel.action.TrafficSnapshot;
import dev.mpchannel.transport.text.Printable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands in scope {@code mp}, for Felix's Gogo shell and Karaf's console alike (Karaf runs Gogo commands
 * registered with {@code osgi.command.scope}/{@code osgi.command.function} through the same Gogo runtime). Each
 * returns the text to print; bad arguments throw {@link IllegalArgumentException} with the usage.
 * <p>
 * Gogo parses the command line: the options are parameters annotated with Gogo's {@link Parameter} ({@code -c} /
 * {@code --channel NAME} on every command; {@code -p} / {@code --peer ID} on {@code mp:send} and {@code mp:request};
 * {@code -t} / {@code --timeout DURATION} and {@code -f} / {@code --fd FILE}, a file whose descriptor goes with the
 * request, on {@code mp:request}) and described with {@link Descriptor}, so that
 * {@code help mp:request} lists them. Gogo passes an option that is not given as its {@code absentValue}
 * ({@value #NOT_GIVEN} for the channel, the peer and the file, {@value Timeout#DEFAULT} for the timeout), and what remains of
 * the line to the positional parameters: for {@code mp:send} and {@code mp:request} the action name and its
 * parameters, joined with spaces. Gogo finds an option anywhere on the line, not only before the action, so a
 * parameter cannot be a word that is an option name. The values are checked here (a peer id is a number, a timeout
 * is {@code 500ms}, {@code 2s}, {@code 1m} or {@code PT2S}, see {@link Timeout}); a line that fits no signature at all
 * (an option without its value, an argument to {@code mp:status}, {@code mp:peers} or {@code mp:actions}) is
 * reported by Gogo itself ({@code Cannot coerce ...}). The annotations are only read reflectively by Gogo: the
 * methods are plain public methods taking strings, callable without a shell.
 * <p>
 * The commands see every {@link Channel} service there is (a dynamic, greedy reference: channels come and go while
 * the commands stay), each by its name, the service property {@value Channel#NAME} (the channel's prefix), and
 * its role, {@value Channel#ROLE}. Every command takes {@code -c NAME} / {@code --channel NAME} to pick one;
 * without it a command uses the only channel there is, and says which there are if there are several (or how to
 * configure one if there is none). {@code mp:status} without {@code -c} shows them all.
 * <p>
 * Names and texts that may come from a peer (action names, a reply's parameters, a failure's text) are printed
 * escaped by {@link Printable}, in the tables and in {@code mp:status}: a control character or a bidi override from
 * the wire never reaches the operator's terminal as it is, and each entry stays one row.
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
            "mp:request [-c|--channel NAME] [-t|--timeout 500ms|2s|1m] [-p|--peer ID] [-f|--fd FILE] ACTION [PARAMS...]";

    /** What Gogo passes for {@code -c} or {@code -p} when it is not given (an annotation value cannot be null). */
    static final String NOT_GIVEN = "";
    private static final String CHANNEL = "the channel, by name (see mp:status); default: the only one there is";
    private static final String PEER = "the peer, by id (see mp:peers); default: every peer";
    private static final String TIMEOUT = "how long to wait for the replies: 500ms, 2s, 1m or PT2S; default: "
            + Timeout.DEFAULT;
    private static final String FD = "a file to open read-only and pass its descriptor with the request (closed"
            + " after); default: none";
    private static final String ACTION = "ACTION [PARAMS...]: the action name, then its parameters (joined with spaces)";

    private final ChannelsByName channels = new ChannelsByName();

    public ChannelCommands() {
    }

    /** For tests, without OSGi: the channels by name (roles are asked of the channels). */
    ChannelCommands(Map<String, ? extends Channel> channels) {
        channels.forEach((name, channel) -> this.channels.add(name, channel,
                channel.role().name().toLowerCase(Locale.ROOT)));
    }

    @Reference(name = "channel", service = Channel.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindChannel", updated = "updatedChannel")
    void bindChannel(Channel channel, Map<String, ?> properties) {
        channels.add(channel, properties);
    }

    void updatedChannel(Channel channel, Map<String, ?> properties) {
        unbindChannel(channel, properties);
        bindChannel(channel, properties);
    }

    void unbindChannel(Channel channel, Map<String, ?> properties) {
        channels.remove(channel);
    }

    /** mp:status: each channel's name, role, socket, state, peers and actions (all channels, or the one of -c). */
    @Descriptor("shows each channel's name, role, socket, state, peers and actions (every channel, or the one of -c)")
    public String status(
            @Descriptor(CHANNEL) @Parameter(names = {"-c", "--channel"}, absentValue = NOT_GIVEN) String channel) {
        String name = channelName(channel, STATUS_USAGE);
        if (name != null) {
            return status(name, channels.select(name, STATUS_USAGE).getValue().channel());
        }
        List<String> blocks = new ArrayList<>();
        channels.all().forEach((each, bound) -> blocks.add(status(each, bound.channel())));
        return String.join("\n", blocks);
    }

    private static String status(String name, Channel channel) {
        ChannelStatus status = channel.status();
        StringBuilder out = new StringBuilder();
        out.append("name      ").append(Printable.escape(name)).append('\n');
        out.append("role      ").append(status.role().name().toLowerCase(Locale.ROOT)).append('\n');
        out.append("channel   ").append(Printable.escape(status.name())).append(" at ")
                .append(Printable.escape(String.valueOf(status.socketPath()))).append('\n');
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
    @Descriptor("lists the live peers of a channel with their credentials and traffic")
    public String peers(
            @Descriptor(CHANNEL) @Parameter(names = {"-c", "--channel"}, absentValue = NOT_GIVEN) String channel) {
        ChannelStatus status = channels.select(channelName(channel, PEERS_USAGE), PEERS_USAGE).getValue().channel().status();
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
    @Descriptor("lists every action a channel has bound or seen, whether it is bound here, and its traffic")
    public String actions(
            @Descriptor(CHANNEL) @Parameter(names = {"-c", "--channel"}, absentValue = NOT_GIVEN) String channel) {
        ChannelStatus status = channels.select(channelName(channel, ACTIONS_USAGE), ACTIONS_USAGE).getValue().channel().status();
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
            Traffic t = traffic.getOrDefault(name, TrafficSnapshot.NONE);
            String here = status.boundActions().contains(name) ? "bound"
                    : status.refusedActions().contains(name) ? "refused" : "-";
            table.row(name, here, t.messagesIn() + "/" + t.messagesOut(), t.bytesIn() + "/" + t.bytesOut(),
                    t.fdsIn() + "/" + t.fdsOut(), t.errors(), t.ignored(), t.timeouts());
        }
        return table.toString();
    }

    /** mp:send: sends a message on a channel (to every peer, or to one). */
    @Descriptor("sends a message on a channel, to every peer or to one")
    public String send(
            @Descriptor(CHANNEL) @Parameter(names = {"-c", "--channel"}, absentValue = NOT_GIVEN) String channel,
            @Descriptor(PEER) @Parameter(names = {"-p", "--peer"}, absentValue = NOT_GIVEN) String peer,
            @Descriptor(ACTION) String... actionAndParams) throws ChannelException {
        String name = channelName(channel, SEND_USAGE);
        Long peerId = peerId(peer, SEND_USAGE);
        Message message = message(actionAndParams, SEND_USAGE, "-c", "--channel", "-p", "--peer");
        Map.Entry<String, ChannelsByName.Bound> selected = channels.select(name, SEND_USAGE);
        Channel selectedChannel = selected.getValue().channel();
        if (peerId != null) {
            selectedChannel.send(peer(selected.getKey(), selectedChannel, peerId), message);
            return "written to peer " + peerId + "\n";
        }
        int written = selectedChannel.send(message);
        return "written to " + written + " peer" + (written == 1 ? "" : "s") + "\n";
    }

    /** mp:request: makes a request on a channel and prints the aggregated replies. */
    @Descriptor("makes a request on a channel and prints the aggregated replies")
    public String request(
            @Descriptor(CHANNEL) @Parameter(names = {"-c", "--channel"}, absentValue = NOT_GIVEN) String channel,
            @Descriptor(TIMEOUT) @Parameter(names = {"-t", "--timeout"}, absentValue = Timeout.DEFAULT) String timeout,
            @Descriptor(PEER) @Parameter(names = {"-p", "--peer"}, absentValue = NOT_GIVEN) String peer,
            @Descriptor(FD) @Parameter(names = {"-f", "--fd"}, absentValue = NOT_GIVEN) String fd,
            @Descriptor(ACTION) String... actionAndParams) throws ChannelException, InterruptedException, IOException {
        String name = channelName(channel, REQUEST_USAGE);
        Duration wait = timeout(timeout, REQUEST_USAGE);
        Long peerId = peerId(peer, REQUEST_USAGE);
        Message message = message(actionAndParams, REQUEST_USAGE, "-c", "--channel", "-t", "--timeout", "-p", "--peer",
                "-f", "--fd");
        Map.Entry<String, ChannelsByName.Bound> selected = channels.select(name, REQUEST_USAGE);
        Channel selectedChannel = selected.getValue().channel();
        Peer to = peerId == null ? null : peer(selected.getKey(), selectedChannel, peerId);
        Replies replies;
        try (PassedFile file = fd == null || fd.equals(NOT_GIVEN) ? null : PassedFile.open(fd, REQUEST_USAGE)) {
            Message sent = file == null ? message : file.attachTo(message);
            replies = to != null ? selectedChannel.request(to, sent, wait) : selectedChannel.request(sent, wait);
        }
        StringBuilder out = new StringBuilder("sent " + replies.sent() + ", received " + replies.received() + "\n");
        Table table = new Table("PEER", "PID", "STATUS", "ANSWER");
        for (Reply reply : replies.replies()) {
            table.row(reply.peer().id(), reply.peer().pid(), reply.status(),
                    reply.replied() ? reply.message().paramsAsString() : reply.reason());
        }
        return replies.replies().isEmpty() ? out.toString() : out.append(table).toString();
    }

    private static Peer peer(String channelName, Channel channel, long id) {
        return channel.peers().stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "no peer with id " + id + " on channel " + channelName + " (see mp:peers -c " + channelName + ")"));
    }

    private static String listOrNone(java.util.Collection<String> names) {
        return names.isEmpty() ? "(none)"
                : String.join(", ", new TreeSet<>(names).stream().map(Printable::escape).toList());
    }
}
