package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Replies;
import dev.mpchannel.api.Reply;
import java.time.Duration;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.ask} (on a secondary): makes a request to the primary for the action named in the parameters and
 * answers with the outcome, e.g. {@code REPLIED:<reply text>} or {@code IGNORED:<reason>}. The demo's last step: an
 * action may itself make a request while it handles one (DPDK's channel deadlocks on that), on the channel its
 * context names, with no service reference to a channel. It takes no descriptor that came with the request, so the
 * channel closes them.
 */
@Component(service = Action.class)
@ActionName(AskAction.NAME)
public final class AskAction implements Action {
    static final String NAME = "demo.ask";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    public Message handle(ActionContext context) throws Exception {
        Message message = context.message();
        Replies replies = context.channel().request(context.peer(), Message.of(message.paramsAsString(),
                "asked by pid " + ProcessHandle.current().pid()), TIMEOUT);
        return Message.of(message.action(), replies.replies().stream()
                .map(AskAction::describe)
                .collect(Collectors.joining("\n")));
    }

    private static String describe(Reply reply) {
        return reply.status() + ":" + (reply.replied() ? reply.message().paramsAsString() : reply.reason());
    }
}
