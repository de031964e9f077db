package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionInline;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.echo-inline}: {@link EchoAction} declared quick and non-blocking ({@link Action#INLINE}), so the
 * channel may run it on the socket's reading thread; measured beside the plain echo to show what the hand-off costs.
 */
@Component(service = Action.class)
@ActionName(InlineEchoAction.NAME)
@ActionInline
public final class InlineEchoAction implements Action {
    public static final String NAME = "bench.echo-inline";

    @Override
    public Message handle(ActionContext context) {
        Message request = context.message();
        return request;
    }
}
