package dev.mpchannel.bench.harness.readers;

import java.lang.reflect.Method;

/** Java 21's virtual threads, reached by reflection from code compiled for Java 17. */
final class VirtualThreads {
    private static final Method OF_VIRTUAL = find("ofVirtual");

    private VirtualThreads() {
    }

    static boolean available() {
        return OF_VIRTUAL != null;
    }

    /** A virtual thread that will run {@code task}, not started. */
    static Thread unstarted(Runnable task) {
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            Method unstarted = Class.forName("java.lang.Thread$Builder").getMethod("unstarted", Runnable.class);
            return (Thread) unstarted.invoke(builder, task);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads: " + e, e);
        }
    }

    private static Method find(String name) {
        try {
            return Thread.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
