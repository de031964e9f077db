package dev.mpchannel.transport.channel.action;

import dev.mpchannel.api.Action;
import dev.mpchannel.api.ActionContext;
import dev.mpchannel.api.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.ComponentServiceObjects;

/**
 * An action service bound by its reference and fetched on its first message. Fetching it while Declarative Services
 * binds it would activate the action's component inside the channel's own activation: an action that references the
 * channel (as one that sends or requests does) then meets the channel half-activated, which SCR reports as a
 * circular reference. On a reading thread there is no such activation under way. Declarative Services releases the
 * service object when it unbinds the reference.
 */
final class DeferredAction implements Action {
    private final ComponentServiceObjects<Action> objects;
    private volatile Action service;

    DeferredAction(ComponentServiceObjects<Action> objects) {
        this.objects = objects;
    }

    private Action service() {
        Action fetched = service;
        if (fetched == null) {
            synchronized (this) {
                if (service == null) {
                    service = objects.getService();
                }
                fetched = service;
            }
            if (fetched == null) {
                throw new IllegalStateException("the action service could not be activated (its component failed)");
            }
        }
        return fetched;
    }

    @Override
    public Message handle(ActionContext context) throws Exception {
        return service().handle(context);
    }

    @Override
    public CompletionStage<Message> handleAsync(ActionContext context) {
        Action action;
        try {
            action = service();
        } catch (RuntimeException e) { // gone, or its activation failed: the request fails, the channel goes on
            return CompletableFuture.failedFuture(e);
        }
        return action.handleAsync(context);
    }
}
