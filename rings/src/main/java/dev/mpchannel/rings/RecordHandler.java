package dev.mpchannel.rings;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/** Takes records from a ring, in the order they were written. */
@ConsumerType
@FunctionalInterface
public interface RecordHandler {
    /**
     * One record: a read-only view of the shared memory, valid only during this call (copy what you keep). Its
     * position and limit frame the record.
     */
    void onRecord(ByteBuffer record);
}
