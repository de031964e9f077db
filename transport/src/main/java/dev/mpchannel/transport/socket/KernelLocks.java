package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether the kernel lists a lock on a file in {@code /proc/locks}: a look that takes nothing, as {@code F_GETLK}
 * (which Java cannot call) would be. Taking a lock and releasing it to find out, as {@code FileChannel.tryLock} would,
 * makes a process that takes its lock meanwhile without waiting (a starting primary) fail, and through a second
 * descriptor would drop a lock this process holds.
 */
public final class KernelLocks {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private KernelLocks() {
    }

    /**
     * Whether any process (this one included) holds a lock of any kind on {@code file}, matched by device and inode.
     * False if the file does not exist.
     *
     * @throws IOException if {@code /proc/locks} cannot be read (not Linux, or no /proc)
     */
    public static boolean isLocked(Path file, LinkOption... options) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:dev,ino", options);
        } catch (NoSuchFileException e) {
            return false;
        }
        long dev = ((Number) attributes.get("dev")).longValue();
        long ino = ((Number) attributes.get("ino")).longValue();
        return isLocked(Files.readAllLines(PROC_LOCKS), dev, ino);
    }

    /**
     * @param lines lines of {@code /proc/locks}, e.g. {@code 1: POSIX  ADVISORY  WRITE 1234 fe:00:5678 0 EOF}, or
     *              {@code 1: -> POSIX ...} for a process waiting for that lock, which does not hold it
     */
    static boolean isLocked(List<String> lines, long dev, long ino) {
        // the kernel prints MAJOR:MINOR in hex; st_dev packs them as glibc's gnu_dev_major/minor unpack them
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
        long minor = (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 6 || fields[1].equals("->")) {
                continue;
            }
            String[] id = fields[5].split(":");
            try {
                if (id.length == 3 && Long.parseLong(id[2]) == ino && Long.parseLong(id[0], 16) == major
                        && Long.parseLong(id[1], 16) == minor) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // a line of a format not known here: not this file's
            }
        }
        return false;
    }
}
