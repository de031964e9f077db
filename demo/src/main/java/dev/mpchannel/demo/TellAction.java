package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.tell} (on a secondary): on being told, sends a {@code demo.hello} message to the primary, so that a
 * primary can make its secondaries speak: the demo and the integration tests use it to show a message from a
 * secondary to the primary, on the channel the request came on. It takes no descriptor that came with it, so the
 * channel closes them.
 */
@Component(service = Action.class)
@ActionName("demo.tell")
public final class TellAction implements Action {
    @Override
    public Message handle(ActionContext context) throws Exception {
        Message message = context.message();
        String text = "hello from " + context.channel().role().name().toLowerCase(java.util.Locale.ROOT) + " pid "
                + ProcessHandle.current().pid() + " (told '" + message.paramsAsString() + "')";
        context.channel().send(context.peer(), Message.of(HelloAction.NAME, text));
        return Message.of(message.action(), "sent");
    }
}
