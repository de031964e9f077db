package dev.mpchannel.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unix sockets of this network namespace as {@code /proc/net/unix} lists them, to say what a descriptor
 * {@code socket:[inode]} left open is: listening, connected or never connected, stream or datagram, and its path.
 */
final class UnixSocketTable {
    /** {@code /proc/net/unix}'s flag of a listening socket (__SO_ACCEPTCON). */
    private static final int LISTENING = 0x10000;
    private final Map<String, String> byInode;

    private UnixSocketTable(Map<String, String> byInode) {
        this.byInode = byInode;
    }

    /** The table as it is now. */
    static UnixSocketTable read() throws IOException {
        Map<String, String> byInode = new HashMap<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
        // Num RefCount Protocol Flags Type St Inode [Path]; the first line is that header
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+", 8);
            if (fields.length < 7) {
                continue;
            }
            String type = switch (fields[4]) {
                case "0001" -> "stream";
                case "0002" -> "datagram";
                case "0005" -> "seqpacket";
                default -> "type " + fields[4];
            };
            String state = (Integer.parseInt(fields[3], 16) & LISTENING) != 0 ? "listening" : switch (fields[5]) {
                case "01" -> "unconnected";
                case "02" -> "connecting";
                case "03" -> "connected";
                case "04" -> "disconnecting";
                default -> "state " + fields[5];
            };
            byInode.put(fields[6], "unix " + type + " " + state + (fields.length > 7 ? " " + fields[7] : ""));
        }
        return new UnixSocketTable(byInode);
    }

    /**
     * What {@code target} (a {@code /proc/self/fd} link, {@code 12->socket:[345]}) is; a target that is not a socket
     * is returned as it is.
     */
    String describe(String target) {
        int at = target.indexOf("socket:[");
        if (at < 0) {
            return target;
        }
        String inode = target.substring(at + "socket:[".length(), target.indexOf(']', at));
        return target + " (" + byInode.getOrDefault(inode, "not a Unix socket") + ")";
    }
}
