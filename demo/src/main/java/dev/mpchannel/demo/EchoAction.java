package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import org.osgi.service.component.annotations.Component;

/**
 * {@code demo.echo}: answers a request with its parameters, saying which process answered. It keeps no descriptor
 * that came with the request: it closes them.
 */
@Component(property = Action.NAME + "=demo.echo")
public final class EchoAction implements Action {
    @Override
    public Message handle(Message request, Peer from) {
        try {
            return Message.of(request.action(), "pid " + ProcessHandle.current().pid() + " echoes '"
                    + request.paramsAsString() + "'");
        } finally {
            ReceivedDescriptors.close(request);
        }
    }
}
