package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.ActionName;
import dev.mpchannel.api.ActionScopedParams;
import dev.mpchannel.api.Message;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.echo}: answers a request with the request itself (same name, same parameters). A {@link Message} is
 * immutable, so returning it costs no copy: what is measured is the channel, not the action. It reads the parameters
 * only while it runs ({@link ActionScopedParams}), so large ones in shared memory are released once its reply is
 * written.
 */
@Component(service = Action.class)
@ActionName(EchoAction.NAME)
@ActionScopedParams
public final class EchoAction implements Action {
    public static final String NAME = "bench.echo";

    @Override
    public Message handle(ActionContext context) {
        Message request = context.message();
        return request;
    }
}
