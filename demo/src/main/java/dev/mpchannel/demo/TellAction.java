package dev.mpchannel.demo;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.Channel;
import dev.mpchannel.api.Message;
import dev.mpchannel.api.Peer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.tell} (on a secondary): on being told, sends a {@code demo.hello} message to the primary, so that a
 * primary can make its secondaries speak: the demo and the integration tests use it to show a message from a
 * secondary to the primary. Active only where a secondary channel is. It closes any descriptor that came with it.
 */
@Component(property = Action.NAME + "=demo.tell")
public final class TellAction implements Action {
    @Reference(target = "(" + Channel.ROLE + "=secondary)")
    private Channel channel;

    /** For Declarative Services, which sets the channel. */
    public TellAction() {
    }

    /** For tests, without OSGi: requests go to {@code channel}. */
    TellAction(Channel channel) {
        this.channel = channel;
    }

    @Override
    public Message handle(Message message, Peer from) throws Exception {
        try {
            String text = "hello from secondary pid " + ProcessHandle.current().pid() + " (told '"
                    + message.paramsAsString() + "')";
            channel.send(Message.of(HelloAction.NAME, text));
            return Message.of(message.action(), "sent");
        } finally {
            ReceivedDescriptors.close(message);
        }
    }
}
