package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import dev.mpchannel.api.Peer;
import java.time.Duration;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.ask} (on a secondary): makes a request to the primary for the action named in the parameters and
 * answers with the outcome, e.g. {@code REPLIED:<reply text>} or {@code IGNORED:<reason>}. The demo's last step: an
 * action may itself make a request while it handles one (DPDK's channel deadlocks on that). It closes any
 * descriptor that came with the request.
 */
@Component(property = Action.NAME + "=" + AskAction.NAME)
public final class AskAction implements Action {
    static final String NAME = "demo.ask";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Reference(target = "(" + Channel.ROLE + "=secondary)")
    private Channel channel;

    /** For Declarative Services, which sets the channel. */
    public AskAction() {
    }

    /** For tests, without OSGi: requests go to {@code channel}. */
    AskAction(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Message handle(Message message, Peer from) throws Exception {
        try {
            Replies replies = channel.request(Message.of(message.paramsAsString(), "asked by pid "
                    + ProcessHandle.current().pid()), TIMEOUT);
            return Message.of(message.action(), replies.replies().stream()
                    .map(AskAction::describe)
                    .collect(Collectors.joining("\n")));
        } finally {
            ReceivedDescriptors.close(message);
        }
    }

    private static String describe(Reply reply) {
        return reply.status() + ":" + (reply.replied() ? reply.message().paramsAsString() : reply.reason());
    }
}
