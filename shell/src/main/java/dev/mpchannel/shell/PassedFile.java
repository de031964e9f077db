package dev.mpchannel.shell;

import dev.mpchannel.api.Message;
import dev.mpchannel.transport.text.Printable;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file of {@code mp:request --fd FILE}, opened read-only for the time of one request so that its descriptor goes
 * with it. The channel duplicates a descriptor while it writes or queues the message, so closing this one once the
 * request returns takes nothing from the peers.
 */
final class PassedFile implements AutoCloseable {
    private final FileInputStream in;

    private PassedFile(FileInputStream in) {
        this.in = in;
    }

    /**
     * Opens {@code name}, a regular file (a FIFO would block the shell until someone writes to it, a directory has
     * nothing to read); a relative name is taken from the JVM's working directory, where mpchannel.sh was started.
     *
     * @throws IllegalArgumentException one line saying what {@code name} is, with the usage
     */
    static PassedFile open(String name, String usage) {
        Path path = Path.of(name).toAbsolutePath();
        String shown = Printable.escape(path.toString());
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw Arguments.usage("--fd: " + shown + " is not a regular file", usage);
        }
        try {
            return new PassedFile(new FileInputStream(path.toFile()));
        } catch (FileNotFoundException e) {
            String why = Files.exists(path) ? "not readable" : "no such file";
            throw Arguments.usage("--fd: cannot open " + shown + " (" + why + ")", usage);
        }
    }

    /** {@code message} with this file's descriptor. */
    Message attachTo(Message message) throws IOException {
        return message.withFileDescriptors(in.getFD());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
