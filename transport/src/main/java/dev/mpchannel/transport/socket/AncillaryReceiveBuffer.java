package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocket;

/**
 * Gives a junixsocket socket a control buffer large enough for the most descriptors the kernel passes in one message.
 * <p>
 * Why: junixsocket 2.11.1's {@code setAncillaryReceiveBufferSize} clamps every size to 256 bytes
 * ({@code Math.max(256, Math.min(MIN_ANCBUF_LEN, size))}), room for 60 descriptors. When a message carries more, the
 * kernel installs the 60 that fit and flags the control data truncated (MSG_CTRUNC); junixsocket then fails the read
 * with "No buffer space available" without handing over the 60, so they stay open in this process for good, and the
 * bytes of that read are lost. Its native receive uses the real capacity of the buffer it is handed, so this class
 * hands it one of {@link #BYTES}: room for SCM_MAX_FD (253) descriptors and the sender's credentials. The kernel
 * refuses a sendmsg with more than 253 descriptors, and one read never takes the descriptors of two sendmsg calls, so
 * the control data of a read can then never be truncated, on a stream or a datagram socket.
 * <p>
 * The buffer is swapped in through junixsocket's private fields (the socket's implementation, its ancillary data
 * support, that one's receive buffer); {@code AncillaryReceiveBufferTest} fails if that path or the 253 change. If
 * the path is gone, {@link #install} fails: a socket that could leak what a peer sends is not used.
 */
public final class AncillaryReceiveBuffer {
    /** SCM_MAX_FD: the most descriptors Linux passes in one sendmsg. */
    public static final int MAX_FDS = 253;
    /** CMSG_SPACE(253 * sizeof(int)) for SCM_RIGHTS plus CMSG_SPACE(sizeof(struct ucred)) for SCM_CREDENTIALS. */
    public static final int BYTES = cmsgSpace(MAX_FDS * Integer.BYTES) + cmsgSpace(3 * Integer.BYTES);

    private static final String PATH = "AFSocket.impl -> AFSocketImpl.ancillaryDataSupport (AFDatagramSocket"
            + ".ancillaryDataSupport) -> AncillaryDataSupport.ancillaryReceiveBuffer";

    private AncillaryReceiveBuffer() {
    }

    /**
     * Installs the buffer on a stream socket; call before its first read.
     *
     * @throws IOException if junixsocket no longer has the fields this relies on
     */
    public static void install(AFSocket<?> socket) throws IOException {
        Object impl = field(AFSocket.class, "impl", socket);
        Object support = field(impl.getClass(), "ancillaryDataSupport", impl);
        replaceBuffer(support);
        verify(socket.getAncillaryReceiveBufferSize());
    }

    /**
     * Installs the buffer on a datagram socket; call before its first receive.
     *
     * @throws IOException if junixsocket no longer has the fields this relies on
     */
    public static void install(AFDatagramSocket<?> socket) throws IOException {
        Object support = field(AFDatagramSocket.class, "ancillaryDataSupport", socket);
        replaceBuffer(support);
        verify(socket.getAncillaryReceiveBufferSize());
    }

    private static void replaceBuffer(Object support) throws IOException {
        try {
            Field buffer = support.getClass().getDeclaredField("ancillaryReceiveBuffer");
            buffer.setAccessible(true);
            buffer.set(support, ByteBuffer.allocateDirect(BYTES)); // native code needs a direct buffer
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw changed(e);
        }
    }

    /** The value of a declared field, looked up in {@code type} and its superclasses. */
    private static Object field(Class<?> type, String name, Object target) throws IOException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                Object value = field.get(target);
                if (value == null) {
                    throw changed(new NullPointerException(c.getName() + "." + name + " is null"));
                }
                return value;
            } catch (NoSuchFieldException next) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw changed(e);
            }
        }
        throw changed(new NoSuchFieldException(type.getName() + "." + name));
    }

    /** The public getter reads the same field: it must now report the whole buffer. */
    private static void verify(int capacity) throws IOException {
        if (capacity < BYTES) {
            throw changed(new IllegalStateException("the socket reports " + capacity + " bytes of ancillary buffer"));
        }
    }

    private static IOException changed(Exception cause) {
        return new IOException("cannot give junixsocket's socket a control buffer of " + BYTES + " bytes (" + PATH
                + "): junixsocket changed; without it a peer sending more than 60 descriptors leaks them in this "
                + "process, so the socket is not used (" + cause + ")", cause);
    }

    /** CMSG_SPACE on 64-bit Linux: a 16-byte header and the data, each rounded up to 8 bytes. */
    private static int cmsgSpace(int dataBytes) {
        return 16 + ((dataBytes + 7) & ~7);
    }
}
