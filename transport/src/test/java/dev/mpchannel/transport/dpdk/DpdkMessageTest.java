package dev.mpchannel.transport.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The datagram layouts byte by byte, against the offsets of DPDK's struct (22.11 and 25.11), and the checks. */
class DpdkMessageTest {
    private static final byte[] PARAM = "abc".getBytes(StandardCharsets.UTF_8);

    @Test
    void layout2211PutsEveryFieldWhereDpdk2211ReadsIt() {
        byte[] d = new DpdkMessage(DpdkMessage.Type.REQUEST, "x.y", PARAM, 2).encode(DpdkLayout.V22_11);
        assertEquals(332, d.length);
        ByteBuffer in = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, in.getInt(0), "type MP_REQ at 0");
        assertEquals("x.y", new String(d, 4, 3, StandardCharsets.US_ASCII), "name at 4");
        assertEquals(0, d[7], "the name's NUL");
        assertEquals(3, in.getInt(68), "len_param at 68");
        assertEquals(2, in.getInt(72), "num_fds at 72");
        assertEquals("abc", new String(d, 76, 3, StandardCharsets.US_ASCII), "param at 76");
        assertZero(d, 8, 68);
        assertZero(d, 79, 332);
    }

    @Test
    void layout2511PutsEveryFieldWhereDpdk2511ReadsIt() {
        byte[] d = new DpdkMessage(DpdkMessage.Type.IGNORE, "x.y", PARAM, 0).encode(DpdkLayout.V25_11);
        assertEquals(340, d.length);
        ByteBuffer in = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3, in.getInt(0), "type MP_IGN at 0");
        assertZero(d, 4, 8); // alignment padding, zeroed
        assertEquals("x.y", new String(d, 8, 3, StandardCharsets.US_ASCII), "name at 8");
        assertEquals(3, in.getInt(72), "len_param at 72");
        assertEquals(0, in.getInt(76), "num_fds at 76");
        assertEquals("abc", new String(d, 80, 3, StandardCharsets.US_ASCII), "param at 80");
        assertZero(d, 83, 340); // the rest of param and the 4 bytes of fds[] DPDK sends
    }

    @Test
    void whatIsEncodedDecodesToTheSame() throws Exception {
        for (DpdkLayout layout : DpdkLayout.values()) {
            DpdkMessage sent = new DpdkMessage(DpdkMessage.Type.REPLY, "name", PARAM, 1);
            byte[] d = sent.encode(layout);
            DpdkMessage got = DpdkMessage.decode(d, d.length, layout);
            assertEquals(sent.type(), got.type());
            assertEquals(sent.name(), got.name());
            assertArrayEquals(sent.param(), got.param());
            assertEquals(1, got.numFds());
        }
    }

    @Test
    void aDatagramDpdkWouldNotSendIsRefusedWithItsReason() {
        DpdkLayout layout = DpdkLayout.V22_11;
        byte[] good = new DpdkMessage(DpdkMessage.Type.MESSAGE, "n", PARAM, 0).encode(layout);
        assertTrue(refusal(good, 331, layout).contains("exactly 332"));
        assertTrue(refusal(good, good.length, DpdkLayout.V25_11).contains("dpdk.layout"), "the other layout");
        assertTrue(refusal(with(good, b -> b.putInt(0, 4)), 332, layout).contains("type 4"));
        assertTrue(refusal(with(good, b -> b.put(4, (byte) 0)), 332, layout).contains("empty"));
        byte[] noNul = with(good, b -> {
            for (int i = 4; i < 68; i++) {
                b.put(i, (byte) 'a');
            }
        });
        assertTrue(refusal(noNul, 332, layout).contains("NUL"));
        assertTrue(refusal(with(good, b -> b.putInt(68, 257)), 332, layout).contains("len_param 257"));
        assertTrue(refusal(with(good, b -> b.putInt(68, -1)), 332, layout).contains("len_param -1"));
        assertTrue(refusal(with(good, b -> b.putInt(72, 9)), 332, layout).contains("num_fds 9"));
    }

    @Test
    void theLimitsAreDpdks() {
        assertNull(DpdkMessage.check("a".repeat(63), 256, 8, DpdkLayout.V22_11));
        assertTrue(DpdkMessage.check("a".repeat(64), 0, 0, DpdkLayout.V22_11).contains("at most 63"));
        assertTrue(DpdkMessage.check("a", 257, 0, DpdkLayout.V22_11).contains("256"));
        assertTrue(DpdkMessage.check("a", 0, 9, DpdkLayout.V22_11).contains("8"));
        assertNull(DpdkMessage.check("a", 0, 9, DpdkLayout.V25_11));
        assertThrows(IllegalArgumentException.class, () -> DpdkLayout.of("23.11"));
        assertThrows(IllegalArgumentException.class, () -> DpdkLayout.of(""));
    }

    @Test
    void eachLayoutCarriesItsMostDescriptorsAndRefusesOneMore() throws Exception {
        assertEquals(8, DpdkLayout.V22_11.maxFds(), "RTE_MP_MAX_FD_NUM of DPDK 18.02 to 24.07");
        assertEquals(253, DpdkLayout.V25_11.maxFds(), "RTE_MP_MAX_FD_NUM of DPDK 25.11: SCM_MAX_FD");
        for (DpdkLayout layout : DpdkLayout.values()) {
            int most = layout.maxFds();
            assertNull(DpdkMessage.check("a", 0, most, layout));
            assertTrue(DpdkMessage.check("a", 0, most + 1, layout).contains(Integer.toString(most)));
            byte[] d = new DpdkMessage(DpdkMessage.Type.REQUEST, "fds", PARAM, most).encode(layout);
            assertEquals(most, ByteBuffer.wrap(d).order(ByteOrder.nativeOrder()).getInt(layout.numFdsOffset));
            assertEquals(most, DpdkMessage.decode(d, d.length, layout).numFds());
            byte[] tooMany = with(d, b -> b.order(ByteOrder.nativeOrder()).putInt(layout.numFdsOffset, most + 1));
            assertTrue(refusal(tooMany, d.length, layout).contains("num_fds " + (most + 1) + " is outside 0.." + most));
        }
    }

    private static String refusal(byte[] datagram, int length, DpdkLayout layout) {
        return assertThrows(DpdkMessageException.class, () -> DpdkMessage.decode(datagram, length, layout))
                .getMessage();
    }

    private static byte[] with(byte[] original, java.util.function.Consumer<ByteBuffer> change) {
        byte[] copy = original.clone();
        change.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
        return copy;
    }

    private static void assertZero(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(0, d[i], "byte " + i + " is zero");
        }
    }
}
