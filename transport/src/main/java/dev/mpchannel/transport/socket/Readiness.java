package dev.mpchannel.transport.socket;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.SelectionKey;

/**
 * Waits until any of many sockets has something to read: {@code poll(2)} over their descriptors, which stay in
 * blocking mode.
 * <p>
 * Why not a {@code Selector}: a selector needs its channels non-blocking, and a socket's blocking mode is one flag for
 * reading and writing alike; junixsocket's stream writes on a non-blocking socket spin or fail when the socket is
 * full, so every writer of the channel would have to change. {@code poll(2)} works on blocking descriptors. Java
 * offers it only through a selector (or the FFM API from Java 22), so this class calls junixsocket's own native
 * {@code poll} (the one its selector uses) through its package-private entry point: {@code ReadinessTest} fails if
 * junixsocket changes it, and {@link #available()} says whether it is there, so that a channel then falls back to a
 * reading thread per peer instead of failing.
 */
public final class Readiness {
    private static final String PATH = "org.newsclub.net.unix.NativeUnixSocket.poll(AFSelector.PollFd, int)";
    private static final Entry ENTRY = Entry.find();

    private Readiness() {
    }

    /** Whether junixsocket's poll can be reached; if not, {@link #why()} says why. */
    public static boolean available() {
        return ENTRY.poll != null;
    }

    /** Why {@link #available()} is false; {@code null} when it is true. */
    public static String why() {
        return ENTRY.problem;
    }

    /**
     * Waits until at least one of {@code fds} is readable (or closed by its peer, or failed), or until
     * {@code timeoutMillis} passes (-1: no limit).
     *
     * @param readable set for each descriptor: whether a read of it now returns without blocking
     * @return how many descriptors are readable
     */
    public static int poll(FileDescriptor[] fds, boolean[] readable, int timeoutMillis) throws IOException {
        if (ENTRY.poll == null) {
            throw new IOException("poll(2) is not reachable: " + ENTRY.problem);
        }
        int[] ops = new int[fds.length];
        java.util.Arrays.fill(ops, SelectionKey.OP_READ);
        try {
            Object request = ENTRY.pollFd.newInstance(fds, ops);
            int count = (int) ENTRY.poll.invoke(null, request, timeoutMillis);
            int[] returned = (int[]) ENTRY.returnedOps.get(request);
            for (int i = 0; i < fds.length; i++) {
                // OP_READ for POLLIN; the other bits stand for POLLHUP, POLLERR and POLLNVAL, which a read reports
                readable[i] = count > 0 && returned[i] != 0;
            }
            return count;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("poll(2) failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("poll(2) through " + PATH + " failed: " + e, e);
        }
    }

    /** junixsocket's entry point, looked up once; a problem instead if it is not there. */
    private record Entry(Constructor<?> pollFd, Field returnedOps, Method poll, String problem) {
        static Entry find() {
            try {
                Class<?> pollFdClass = Class.forName("org.newsclub.net.unix.AFSelector$PollFd");
                Constructor<?> pollFd = pollFdClass.getDeclaredConstructor(FileDescriptor[].class, int[].class);
                pollFd.setAccessible(true);
                Field returnedOps = pollFdClass.getDeclaredField("rops");
                returnedOps.setAccessible(true);
                Method poll = Class.forName("org.newsclub.net.unix.NativeUnixSocket")
                        .getDeclaredMethod("poll", pollFdClass, int.class);
                poll.setAccessible(true);
                return new Entry(pollFd, returnedOps, poll, null);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return new Entry(null, null, null, "junixsocket changed (" + PATH + "): " + e);
            }
        }
    }
}
