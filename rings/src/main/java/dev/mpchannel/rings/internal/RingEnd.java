package dev.mpchannel.rings.internal;

import dev.mpchannel.rings.RingClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a ring end shares with its pair: which thread is inside the shared memory. The pair unmaps the memory only
 * when no thread is inside, so that closing from another thread never pulls the memory from under a read or write
 * (which would crash the JVM). A thread enters, then checks that the pair is open; the closer marks the pair closed,
 * then looks who is inside; both with volatile accesses, so at least one of them sees the other, and the last one out
 * releases the memory.
 */
abstract class RingEnd {
    private static final VarHandle INSIDE;

    static {
        try {
            INSIDE = MethodHandles.lookup().findVarHandle(RingEnd.class, "inside", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SharedRingPair pair;
    @SuppressWarnings("unused") // through INSIDE
    private volatile Thread inside;

    RingEnd(SharedRingPair pair) {
        this.pair = pair;
    }

    /** Enters the memory; throws if the pair has ended (then nothing was entered). */
    final void enter() throws RingClosedException {
        INSIDE.setVolatile(this, Thread.currentThread());
        if (pair.isClosed()) {
            leave();
            throw pair.closedException();
        }
    }

    /** Leaves the memory; releases it if the pair ended meanwhile. */
    final void leave() {
        INSIDE.setVolatile(this, null);
        if (pair.isClosed()) {
            pair.releaseIfIdle();
        }
    }

    /** Whether a thread is inside (maybe the caller: a handler that closes its own pair). */
    final boolean isBusy() {
        Thread thread = (Thread) INSIDE.getVolatile(this);
        return thread != null;
    }
}
