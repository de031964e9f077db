package dev.mpchannel.transport.dpdk;

/**
 * The two layouts of DPDK's {@code rte_mp} datagram, {@code {int type; struct rte_mp_msg msg;}} without its
 * {@code fds[]}: DPDK 18.02 to 25.07, and 25.11 and later, where {@code param} is 8-byte aligned. Nothing on the wire
 * says which one a peer speaks, and one datagram in the wrong layout ends the DPDK process's IPC until it restarts, so
 * the layout is configured, never guessed.
 */
public enum DpdkLayout {
    /** DPDK 18.02 to 25.07 (Debian 12's 22.11 among them). */
    V22_11("22.11", 4, 68, 72, 76, 332, 8),
    /** DPDK 25.11 and later. */
    V25_11("25.11", 8, 72, 76, 80, 340, 253);

    public static final String KEY = "dpdk.layout";
    /** {@code RTE_MP_MAX_NAME_LEN}: a name and its terminating NUL. */
    static final int NAME_FIELD = 64;
    /** {@code RTE_MP_MAX_PARAM_LEN}. */
    public static final int MAX_PARAM_BYTES = 256;

    private final String version;
    final int nameOffset;
    final int lenParamOffset;
    final int numFdsOffset;
    final int paramOffset;
    final int length;
    private final int maxFds;

    DpdkLayout(String version, int nameOffset, int lenParamOffset, int numFdsOffset, int paramOffset, int length,
            int maxFds) {
        this.version = version;
        this.nameOffset = nameOffset;
        this.lenParamOffset = lenParamOffset;
        this.numFdsOffset = numFdsOffset;
        this.paramOffset = paramOffset;
        this.length = length;
        this.maxFds = maxFds;
    }

    /** @throws IllegalArgumentException naming {@value #KEY} and its values */
    public static DpdkLayout of(String configured) {
        String value = configured == null ? "" : configured.strip();
        for (DpdkLayout layout : values()) {
            if (layout.version.equals(value)) {
                return layout;
            }
        }
        throw new IllegalArgumentException(KEY + " must be 22.11 (DPDK 18.02 to 25.07) or 25.11 (DPDK 25.11 and "
                + "later), not '" + value + "': the layouts differ and a datagram in the wrong one stops the DPDK "
                + "process's IPC, so it is never guessed");
    }

    /** The datagram's exact length. */
    public int length() {
        return length;
    }

    /** {@code RTE_MP_MAX_FD_NUM} of the DPDK versions that use this layout (8 until 24.07). */
    public int maxFds() {
        return maxFds;
    }

    public String version() {
        return version;
    }
}
