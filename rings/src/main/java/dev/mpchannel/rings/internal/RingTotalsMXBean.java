package dev.mpchannel.rings.internal;

/** The rings' counters in JMX: totals over this process's open pairs (see {@code RingStatus}). */
public interface RingTotalsMXBean {
    /** Open ring pairs. */
    int getOpenPairs();

    /** Records this process's writers put in their rings. */
    long getRecordsWritten();

    /** Records this process's readers took from their rings. */
    long getRecordsRead();

    /** Record bytes written. */
    long getBytesWritten();

    /** Record bytes read. */
    long getBytesRead();

    /** Times this process's readers parked on a doorbell. */
    long getParks();

    /** Times this process's readers were woken by a doorbell. */
    long getWakeUps();

    /** One line per ring, as {@code mp:rings} prints it. */
    String[] getPairs();
}
