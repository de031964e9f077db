package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.echo}: answers a request with the request itself (same name, same parameters). A {@link Message} is
 * immutable, so returning it costs no copy: what is measured is the channel, not the action.
 */
@Component(property = Action.NAME + "=" + EchoAction.NAME)
public final class EchoAction implements Action {
    public static final String NAME = "bench.echo";

    @Override
    public Message handle(Message request, Peer from) {
        return request;
    }
}
