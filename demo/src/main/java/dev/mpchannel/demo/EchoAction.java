package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.echo}: answers a request with its parameters, saying which process answered. It takes no descriptor
 * that came with the request, so the channel closes them.
 */
@Component(service = Action.class)
@ActionName("demo.echo")
public final class EchoAction implements Action {
    @Override
    public Message handle(ActionContext context) {
        Message request = context.message();
        return Message.of(request.action(), "pid " + ProcessHandle.current().pid() + " echoes '"
                + request.paramsAsString() + "'");
    }
}
