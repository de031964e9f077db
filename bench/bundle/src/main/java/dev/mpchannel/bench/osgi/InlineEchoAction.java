package dev.mpchannel.bench.osgi;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import org.osgi.service.component.annotations.Component;

/**
 * {@code bench.echo-inline}: {@link EchoAction} declared quick and non-blocking ({@link Action#INLINE}), so the
 * channel may run it on the socket's reading thread; measured beside the plain echo to show what the hand-off costs.
 */
@Component(property = {Action.NAME + "=" + InlineEchoAction.NAME, Action.INLINE + ":Boolean=true"})
public final class InlineEchoAction implements Action {
    public static final String NAME = "bench.echo-inline";

    @Override
    public Message handle(Message request, Peer from) {
        return request;
    }
}
