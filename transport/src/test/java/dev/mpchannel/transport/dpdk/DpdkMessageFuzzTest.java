package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mpchannel.api.Message;
import dev.mpchannel.transport.socket.PeerCredentials;
import dev.mpchannel.transport.wire.BoundedFuzzTest.Allocations;
import dev.mpchannel.transport.wire.BoundedFuzzTest;
import dev.mpchannel.transport.wire.FileDescriptors;
import dev.mpchannel.transport.wire.Frame;
import dev.mpchannel.transport.wire.FrameKind;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXDatagramSocket;

/**
 * Coverage-guided fuzzing of what a DPDK secondary does with each datagram it receives: {@link DpdkMessage#decode}
 * and then {@code DpdkConnection.toFrame}, the mapping to the channel's frames, exactly as
 * {@code DpdkConnection.read()} chains them. Any datagram of 0..4096 bytes (the receive buffer), in either layout,
 * with 0..n descriptors (up to the layout's {@code RTE_MP_MAX_FD_NUM} and one more, at most 12), with or without a
 * request of ours pending under the datagram's name.
 * <p>
 * {@code toFrame} is private and {@code DpdkConnection} is made only by connecting to a live DPDK primary's socket, so
 * the harness builds one around no socket (its private constructor; {@code toFrame} never touches the socket) and
 * calls {@code toFrame} by reflection, and repeats {@code read()}'s few lines around them: a
 * {@link DpdkMessageException} closes the descriptors and drops the datagram. The names are this class's assumptions
 * about {@code DpdkConnection}: a rename fails this test at once.
 * <p>
 * The contract checked on every input:
 * <ul>
 * <li>no exception but {@link DpdkMessageException} (anything else ends the connection's reader: "a foreign sender
 * cannot end this reader", says {@code read()});</li>
 * <li>a decoded datagram has a type, a name that is exactly the datagram's bytes before the NUL, well-formed UTF-8 of
 * 1..63 bytes (the name DPDK matches answers by: a mangled one would never be answered), {@code len_param} bytes of
 * parameters (at most 256) and {@code num_fds} within the layout's limit;</li>
 * <li>nothing is allocated past the limits: decoding and mapping allocate at most twice the 256 parameter bytes plus
 * a fixed slack, whatever the datagram says;</li>
 * <li>every descriptor received is handed on in the frame, in order, or closed (a dropped answer, a refused
 * datagram).</li>
 * </ul>
 */
class DpdkMessageFuzzTest extends BoundedFuzzTest {
    private static final int RECEIVE_BUFFER = 4096;
    private static final int MAX_FDS = 12;
    private static final long ALLOCATION_SLACK = 32 * 1024;
    private static final byte[] BUFFER = new byte[RECEIVE_BUFFER];
    private static final Allocations ALLOCATIONS = new Allocations();
    private static final Constructor<DpdkConnection> CONNECTION;
    private static final Method TO_FRAME;
    private static final Field OURS;

    static {
        try {
            CONNECTION = DpdkConnection.class.getDeclaredConstructor(DpdkPaths.class, DpdkLayout.class,
                    AFUNIXDatagramSocket.class, Path.class, PeerCredentials.class);
            CONNECTION.setAccessible(true);
            TO_FRAME = DpdkConnection.class.getDeclaredMethod("toFrame", DpdkMessage.class, List.class);
            TO_FRAME.setAccessible(true);
            OURS = DpdkConnection.class.getDeclaredField("ours");
            OURS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DpdkConnection changed: adapt this harness", e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyDatagramEndsInAFrameOrIsDroppedAndLeavesNoDescriptorOpen(FuzzedDataProvider data) throws Exception {
        DpdkLayout layout = data.pickValue(DpdkLayout.values());
        int length = data.consumeInt(0, 3) != 0 ? layout.length() : data.consumeInt(0, RECEIVE_BUFFER);
        int fdCount = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, Math.min(layout.maxFds() + 1, MAX_FDS)) : 0;
        boolean pending = data.consumeBoolean();
        byte[] bytes = data.consumeBytes(length);
        Arrays.fill(BUFFER, (byte) 0);
        System.arraycopy(bytes, 0, BUFFER, 0, bytes.length);

        DpdkConnection connection = CONNECTION.newInstance(null, layout, null, null, null);
        List<FileInputStream> opened = new ArrayList<>();
        try {
            List<FileDescriptor> fds = new ArrayList<>();
            for (int i = 0; i < fdCount; i++) {
                FileInputStream in = new FileInputStream("/dev/null");
                opened.add(in);
                fds.add(in.getFD());
            }
            // DpdkConnection.read(), after the receive
            try {
                ALLOCATIONS.start();
                DpdkMessage message = DpdkMessage.decode(BUFFER, length, layout);
                checkDecoded(message, length, layout);
                if (pending) {
                    ours(connection).put(message.name(), 42L);
                }
                Frame frame = toFrame(connection, message, fds);
                long allocated = ALLOCATIONS.allocated();
                if (allocated > 2 * DpdkLayout.MAX_PARAM_BYTES + ALLOCATION_SLACK) {
                    fail("decoding and mapping one datagram allocated " + allocated + " bytes");
                }
                if (frame != null) {
                    checkFrame(frame, message, fds, pending);
                    FileDescriptors.closeAll(frame.fileDescriptors()); // the action's part
                } else {
                    assertTrue(!pending && (message.type() == DpdkMessage.Type.REPLY
                            || message.type() == DpdkMessage.Type.IGNORE), "only an unasked answer is dropped");
                }
            } catch (DpdkMessageException e) {
                FileDescriptors.closeAll(fds);
            }
            for (FileDescriptor fd : fds) {
                assertFalse(fd.valid(), "a descriptor left open: neither handed on nor closed");
            }
        } finally {
            for (FileInputStream in : opened) {
                in.close();
            }
        }
    }

    /**
     * Regression (found by this fuzz test; fixed in DpdkMessage.decode): a name of bytes that are not UTF-8 was
     * decoded leniently, each bad byte becoming U+FFFD (3 bytes): 30 bytes of 0xFF became a 90-byte name, and
     * {@code Message.of} in {@code toFrame} threw IllegalArgumentException out of {@code DpdkConnection.read()},
     * ending the reader and leaking the datagram's descriptors; a shorter one was handed on under a name the DPDK
     * primary never sent, so its answer could never be matched.
     */
    @Test
    void aNameThatIsNotUtf8IsRefusedNotMangled() throws Exception {
        for (DpdkLayout layout : DpdkLayout.values()) {
            byte[] datagram = new DpdkMessage(DpdkMessage.Type.MESSAGE, "x", new byte[0], 0).encode(layout);
            Arrays.fill(datagram, layout.nameOffset, layout.nameOffset + 30, (byte) 0xFF);
            DpdkMessageException refused = assertThrows(DpdkMessageException.class,
                    () -> DpdkMessage.decode(datagram, datagram.length, layout));
            assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());
        }
    }

    /**
     * Regression (found by this fuzz test; fixed in DpdkConnection.toFrame): descriptors that came with an MP_IGN
     * answering a request of ours were dropped with the message the IGNORED frame replaces, never closed.
     */
    @Test
    void descriptorsThatComeWithAnIgnoreAreClosed() throws Exception {
        DpdkLayout layout = DpdkLayout.V22_11;
        DpdkConnection connection = CONNECTION.newInstance(null, layout, null, null, null);
        ours(connection).put("asked", 7L);
        try (FileInputStream a = new FileInputStream("/dev/null");
                FileInputStream b = new FileInputStream("/dev/null")) {
            List<FileDescriptor> fds = List.of(a.getFD(), b.getFD());
            byte[] datagram = new DpdkMessage(DpdkMessage.Type.IGNORE, "asked", new byte[0], 2).encode(layout);
            Frame frame = toFrame(connection, DpdkMessage.decode(datagram, datagram.length, layout), fds);
            assertEquals(FrameKind.IGNORED, frame.kind());
            assertEquals(7L, frame.requestId());
            assertTrue(frame.fileDescriptors().isEmpty());
            assertFalse(a.getFD().valid() || b.getFD().valid(), "the MP_IGN's descriptors are closed");
        }
    }

    private static void checkDecoded(DpdkMessage message, int length, DpdkLayout layout) {
        assertEquals(layout.length(), length);
        int nameAt = layout.nameOffset;
        int nul = nameAt;
        while (BUFFER[nul] != 0) {
            nul++;
        }
        byte[] sent = Arrays.copyOfRange(BUFFER, nameAt, nul);
        assertArrayEquals(sent, message.name().getBytes(StandardCharsets.UTF_8),
                "the name is not the datagram's bytes (not well-formed UTF-8?): " + message.name());
        Message.checkName(message.name());
        assertTrue(sent.length <= DpdkMessage.MAX_NAME_BYTES);
        assertTrue(message.param().length <= DpdkLayout.MAX_PARAM_BYTES);
        assertArrayEquals(Arrays.copyOfRange(BUFFER, layout.paramOffset, layout.paramOffset + message.param().length),
                message.param());
        assertTrue(message.numFds() >= 0 && message.numFds() <= layout.maxFds());
    }

    private static void checkFrame(Frame frame, DpdkMessage message, List<FileDescriptor> fds, boolean pending) {
        FrameKind expected = switch (message.type()) {
            case MESSAGE -> FrameKind.MESSAGE;
            case REQUEST -> FrameKind.REQUEST;
            case REPLY -> FrameKind.REPLY;
            case IGNORE -> FrameKind.IGNORED;
        };
        assertEquals(expected, frame.kind());
        assertEquals(message.name(), frame.message().action());
        if (message.type() == DpdkMessage.Type.REPLY || message.type() == DpdkMessage.Type.IGNORE) {
            assertTrue(pending);
            assertEquals(42L, frame.requestId());
        } else if (message.type() == DpdkMessage.Type.REQUEST) {
            assertNotEquals(0L, frame.requestId());
        }
        List<FileDescriptor> carried = frame.fileDescriptors();
        if (message.type() == DpdkMessage.Type.IGNORE) {
            assertTrue(carried.isEmpty(), "an IGNORED answer carries no descriptors"); // so they must be closed
            return;
        }
        assertEquals(fds.size(), carried.size());
        for (int i = 0; i < fds.size(); i++) {
            assertSame(fds.get(i), carried.get(i), "the descriptors received, in order");
            assertTrue(carried.get(i).valid());
        }
        assertArrayEquals(message.param(), frame.message().params());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> ours(DpdkConnection connection) throws IllegalAccessException {
        return (Map<String, Long>) OURS.get(connection);
    }

    private static Frame toFrame(DpdkConnection connection, DpdkMessage message, List<FileDescriptor> fds)
            throws Exception {
        try {
            return (Frame) TO_FRAME.invoke(connection, message, fds);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }
}
