package dev.mpchannel.api;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Handles the messages and requests that name it. Publish an implementation as an OSGi service with its name in
 * the service property {@value #NAME}, best through the component property types:
 * <pre>{@code
 * @Component(service = Action.class)
 * @ActionName("vswitch.attach")
 * public final class Attach implements Action {
 *     public Message handle(ActionContext context) {
 *         return Message.of("vswitch.attach", "attached " + context.peer());
 *     }
 * }
 * }</pre>
 * Every channel whose whitelist admits the name binds it (or only the channels named by {@link OnChannel}), and
 * unbinds it when the service goes away.
 * <p>
 * An action may block, send or request. It runs on the channel's action threads, or on the thread that read its
 * message when nothing else of that peer waits; if it then runs long or makes a blocking request, the reading of that
 * peer passes to another thread (the channel's {@code reader.handoff.us}). Messages from one peer are handled in the
 * order they were sent, one at a time, whatever action they name: an action that takes long holds up that peer's
 * later messages, so long work belongs in {@link #handleAsync} (return a stage, do the work elsewhere). Messages from
 * different peers run in parallel.
 */
@ConsumerType
@FunctionalInterface
public interface Action {
    /**
     * The service property that carries the action name (1 to 64 UTF-8 bytes); see {@link ActionName}. Names starting
     * with {@code mp.} are the channel's own (its control messages): an action under such a name is refused.
     */
    String NAME = "mp.action.name";

    /**
     * The service property that declares an action quick and non-blocking ({@code true}); see {@link ActionInline}.
     * The channel may then run it on the socket's reading thread whenever nothing from that peer is queued before it,
     * which saves a thread hand-off per message (docs/performance.md). Such an action must return at once: it must
     * not block, wait, send or request.
     */
    String INLINE = "mp.action.inline";

    /**
     * The service property that declares that the action reads its message's parameters only while it runs
     * ({@code true}); see {@link ActionScopedParams}. Parameters over the channel's {@code inline.max.bytes} arrive in
     * shared memory that the sending peer reuses once this side lets go of it: for such an action, as soon as it ended
     * (its {@link #handle} returned, or the stage of {@link #handleAsync} completed) and its reply was written; for
     * any other, when the garbage collector finds the message unreachable. Such an action must not read the
     * parameters afterwards, neither through the message nor through buffers taken from it (the peer may be writing
     * other bytes there): it copies what it keeps ({@link Message#params()}). A reply may still be the message itself
     * or use its parameters: the channel writes it before it lets go.
     *
     * @since 2.0
     */
    String SCOPED_PARAMS = "mp.action.scoped.params";

    /**
     * Handles a message or a request.
     *
     * @param context the message, the channel and peer it came from, and whether it is a request; descriptors that
     *                came with it are closed when this method returns unless the action
     *                {@linkplain ActionContext#takeFileDescriptors() took} them
     * @return for a request, the reply (its file descriptors are closed by the channel once written), or
     *         {@code null} for an empty reply under the request's action name; for a plain message {@code null}
     * @throws Exception to fail a request: the requester sees {@link Reply.Status#FAILED} with the exception's text
     */
    Message handle(ActionContext context) throws Exception;

    /**
     * Handles a message or a request whose reply is ready later. The channel calls this method; override it (or write
     * the action with {@link #async}) to answer asynchronously. Descriptors not taken are closed when the stage
     * completes.
     */
    default CompletionStage<Message> handleAsync(ActionContext context) {
        try {
            return CompletableFuture.completedFuture(handle(context));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * An action that answers later, as a lambda:
     * <pre>{@code
     * Action lookup = Action.async(context -> store.fetchAsync(context.message().paramsAsString())
     *         .thenApply(value -> Message.of("store.get", value)));
     * }</pre>
     *
     * @since 2.0
     */
    static Action async(Function<ActionContext, CompletionStage<Message>> handler) {
        Objects.requireNonNull(handler, "handler");
        return new Action() {
            @Override
            public Message handle(ActionContext context) throws Exception {
                return handleAsync(context).toCompletableFuture().get();
            }

            @Override
            public CompletionStage<Message> handleAsync(ActionContext context) {
                return handler.apply(context);
            }
        };
    }
}
