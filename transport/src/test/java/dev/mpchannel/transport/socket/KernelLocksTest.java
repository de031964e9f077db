package dev.mpchannel.transport.socket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading /proc/locks: the file's device and inode, holders only (not waiters), lines of any lock kind. */
class KernelLocksTest {
    /** st_dev of device 254:0 (the kernel prints it "fe:00"), and of 259:65536 (a minor over 255). */
    private static final long VDA = 0xfe00;
    private static final long LARGE_MINOR = (259L << 8) | (0x10000L << 12);

    @Test
    void aHolderOfTheFileIsFoundByDeviceAndInode() {
        List<String> lines = List.of("1: POSIX  ADVISORY  WRITE 16771 fe:00:2149427 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 100 103:10000:77 0 EOF");
        assertTrue(KernelLocks.isLocked(lines, VDA, 2149427));
        assertFalse(KernelLocks.isLocked(lines, VDA, 214942), "another inode");
        assertFalse(KernelLocks.isLocked(lines, 0xfe01, 2149427), "the same inode on another device");
        assertTrue(KernelLocks.isLocked(lines, LARGE_MINOR, 77));
    }

    @Test
    void aProcessWaitingForTheLockDoesNotHoldIt() {
        List<String> lines = List.of("3: -> POSIX  ADVISORY  WRITE 16772 fe:00:2149427 0 EOF",
                "4: OFDLCK ADVISORY  READ  -1 fe:00:99 0 EOF", "not a line of /proc/locks");
        assertFalse(KernelLocks.isLocked(lines, VDA, 2149427));
        assertTrue(KernelLocks.isLocked(lines, VDA, 99), "an OFD lock counts too");
    }
}
