package dev.mpchannel.transport.dpdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One {@code rte_mp} datagram: its type, action name and parameters; {@code numFds} says how many descriptors the
 * sender attached. Encoded in host byte order (little-endian on the machines DPDK runs on) with every byte the layout
 * leaves undefined zeroed; decoded with every check DPDK itself makes, and more (the name's NUL, the type).
 */
public record DpdkMessage(Type type, String name, byte[] param, int numFds) {
    /** {@code MP_MSG}, {@code MP_REQ}, {@code MP_REP}, {@code MP_IGN}. */
    public enum Type {
        MESSAGE, REQUEST, REPLY, IGNORE
    }

    /** The most name bytes: 64 with the NUL. */
    public static final int MAX_NAME_BYTES = DpdkLayout.NAME_FIELD - 1;

    /** Encodes for sending; the caller has checked the limits ({@link #check}). */
    public byte[] encode(DpdkLayout layout) {
        ByteBuffer out = ByteBuffer.allocate(layout.length).order(ByteOrder.nativeOrder());
        out.putInt(0, type.ordinal());
        out.put(layout.nameOffset, name.getBytes(StandardCharsets.UTF_8));
        out.putInt(layout.lenParamOffset, param.length);
        out.putInt(layout.numFdsOffset, numFds);
        out.put(layout.paramOffset, param);
        return out.array();
    }

    /** Why DPDK would refuse to send or receive this, or {@code null} if it is fine. */
    public static String check(String name, int paramBytes, int fds, DpdkLayout layout) {
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_NAME_BYTES) {
            return "action name '" + name + "' is " + nameBytes + " bytes; DPDK takes at most " + MAX_NAME_BYTES;
        }
        if (paramBytes > DpdkLayout.MAX_PARAM_BYTES) {
            return "parameters of " + paramBytes + " bytes exceed DPDK's " + DpdkLayout.MAX_PARAM_BYTES;
        }
        if (fds > layout.maxFds()) {
            return fds + " file descriptors exceed the " + layout.maxFds() + " DPDK " + layout.version()
                    + " takes in one message";
        }
        return null;
    }

    /**
     * Decodes a received datagram.
     *
     * @throws DpdkMessageException if it is not a datagram DPDK would send: wrong length, type, name or counts
     */
    public static DpdkMessage decode(byte[] datagram, int length, DpdkLayout layout) throws DpdkMessageException {
        if (length != layout.length) {
            throw new DpdkMessageException("a datagram of " + length + " bytes; DPDK " + layout.version()
                    + " sends exactly " + layout.length + " (is " + DpdkLayout.KEY + " right?)");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        int type = in.getInt(0);
        if (type < 0 || type >= Type.values().length) {
            throw new DpdkMessageException("unknown message type " + type);
        }
        int nameLength = 0;
        while (nameLength < DpdkLayout.NAME_FIELD && datagram[layout.nameOffset + nameLength] != 0) {
            nameLength++;
        }
        if (nameLength == 0 || nameLength == DpdkLayout.NAME_FIELD) {
            throw new DpdkMessageException("an action name that is empty or not NUL-terminated");
        }
        String name = new String(datagram, layout.nameOffset, nameLength, StandardCharsets.UTF_8);
        byte[] sent = Arrays.copyOfRange(datagram, layout.nameOffset, layout.nameOffset + nameLength);
        if (!Arrays.equals(sent, name.getBytes(StandardCharsets.UTF_8))) { // malformed bytes decode to U+FFFD
            throw new DpdkMessageException("an action name that is not well-formed UTF-8");
        }
        int lenParam = in.getInt(layout.lenParamOffset);
        if (lenParam < 0 || lenParam > DpdkLayout.MAX_PARAM_BYTES) {
            throw new DpdkMessageException("len_param " + lenParam + " is outside 0.." + DpdkLayout.MAX_PARAM_BYTES);
        }
        int numFds = in.getInt(layout.numFdsOffset);
        if (numFds < 0 || numFds > layout.maxFds()) {
            throw new DpdkMessageException("num_fds " + numFds + " is outside 0.." + layout.maxFds());
        }
        byte[] param = Arrays.copyOfRange(datagram, layout.paramOffset, layout.paramOffset + lenParam);
        return new DpdkMessage(Type.values()[type], name, param, numFds);
    }
}
