package dev.mpchannel.webconsole;

import dev.mpchannel.api.Channel;
import dev.mpchannel.api.ChannelStatus;
import dev.mpchannel.api.Peer;
import dev.mpchannel.api.Traffic;
import dev.mpchannel.transport.channel.ConfiguredChannel;
import dev.mpchannel.transport.text.Printable;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * What the tab shows, as the JSON its script renders: every configured channel (running or not, and why not), its
 * role, state, socket, peers, actions and counters, the same figures as {@code mp:status}, {@code mp:peers},
 * {@code mp:actions} and the channel's MBean, read through {@link Channel#status()}. Names that a peer chose (action
 * names) are passed through {@link Printable#escape}, as the shell prints them, so that a control or bidi character
 * shows as an escape; the JSON itself is then HTML-safe ({@link JsonText}), and the script puts every text into the
 * page as text, never as markup.
 */
final class StatusJson {
    private StatusJson() {
    }

    /** The document for {@code launches}, stamped with {@code nowMillis} (the script's rates divide by it). */
    static String of(Collection<ConfiguredChannel> launches, long nowMillis) {
        JsonText json = new JsonText().beginObject().member("time", nowMillis).name("channels").beginArray();
        launches.stream().sorted(Comparator.comparing(ConfiguredChannel::name)).forEach(launch -> channel(json, launch));
        return json.endArray().endObject().toString();
    }

    private static void channel(JsonText json, ConfiguredChannel launch) {
        json.beginObject().member("name", Printable.escape(launch.name()));
        Optional<Channel> channel = launch.channel();
        if (channel.isEmpty()) {
            json.member("running", false)
                    .member("problem", Printable.escape(launch.problem().orElse("no reason given"))).endObject();
            return;
        }
        ChannelStatus status;
        try {
            status = channel.get().status();
        } catch (RuntimeException closing) { // the channel went away between the two calls
            json.member("running", false).member("problem", Printable.escape(String.valueOf(closing))).endObject();
            return;
        }
        json.member("running", true)
                .member("role", lower(status.role()))
                .member("state", status.state().name())
                .member("socket", Printable.escape(status.socketPath()));
        json.name("peers").beginArray();
        status.peers().stream().sorted(Comparator.comparingLong(p -> p.peer().id())).forEach(peerStatus -> {
            Peer peer = peerStatus.peer();
            json.beginObject().member("id", peer.id()).member("role", lower(peer.role())).member("pid", peer.pid())
                    .member("uid", peer.uid()).member("gid", peer.gid())
                    .member("since", String.valueOf(peer.connectedSince()));
            traffic(json.name("traffic"), peerStatus.traffic());
            json.endObject();
        });
        json.endArray();
        json.name("bound").values(escapedSorted(status.boundActions()));
        json.name("refused").values(escapedSorted(status.refusedActions()));
        json.name("actions").beginArray();
        status.actions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(action -> {
            String name = action.getKey();
            String here = status.boundActions().contains(name) ? "bound"
                    : status.refusedActions().contains(name) ? "refused" : "-";
            json.beginObject().member("name", Printable.escape(name)).member("here", here);
            traffic(json.name("traffic"), action.getValue());
            json.endObject();
        });
        json.endArray();
        // the channel's totals are over its actions, as its MBean's: they keep counting when a peer leaves
        List<Traffic> actions = List.copyOf(status.actions().values());
        json.name("totals").beginObject()
                .member("messagesIn", sum(actions, Traffic::messagesIn))
                .member("messagesOut", sum(actions, Traffic::messagesOut))
                .member("bytesIn", sum(actions, Traffic::bytesIn))
                .member("bytesOut", sum(actions, Traffic::bytesOut))
                .member("fdsIn", sum(actions, Traffic::fdsIn))
                .member("fdsOut", sum(actions, Traffic::fdsOut))
                .member("errors", sum(actions, Traffic::errors))
                .member("ignored", sum(actions, Traffic::ignored))
                .member("timeouts", sum(actions, Traffic::timeouts))
                .endObject();
        json.endObject();
    }

    private static void traffic(JsonText json, Traffic traffic) {
        json.beginObject()
                .member("messagesIn", traffic.messagesIn()).member("messagesOut", traffic.messagesOut())
                .member("bytesIn", traffic.bytesIn()).member("bytesOut", traffic.bytesOut())
                .member("fdsIn", traffic.fdsIn()).member("fdsOut", traffic.fdsOut())
                .member("errors", traffic.errors()).member("ignored", traffic.ignored())
                .member("timeouts", traffic.timeouts())
                .endObject();
    }

    private static long sum(List<Traffic> traffic, ToLongFunction<Traffic> counter) {
        return traffic.stream().mapToLong(counter).sum();
    }

    private static Collection<String> escapedSorted(Collection<String> names) {
        TreeSet<String> sorted = new TreeSet<>();
        names.forEach(name -> sorted.add(Printable.escape(name)));
        return sorted;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
