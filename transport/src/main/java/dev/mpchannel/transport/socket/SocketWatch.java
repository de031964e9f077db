package dev.mpchannel.transport.socket;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Tells a waiting secondary at once when its primary's socket is created (inotify on Linux, through the JDK's
 * {@link WatchService}), so that it connects as soon as a restarted primary listens instead of at its next backoff.
 * A wait that sees no such event lasts its timeout: the backoff is the fallback (no directory yet, a missed event).
 */
public final class SocketWatch implements AutoCloseable {
    private final Path socket;
    private WatchService watcher;

    public SocketWatch(Path socket) {
        this.socket = socket;
    }

    /**
     * Waits until the socket file is created or {@code timeout} has passed.
     *
     * @return whether the socket was created meanwhile
     */
    public boolean awaitCreated(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!watching()) {
            TimeUnit.NANOSECONDS.sleep(timeout.toNanos());
            return false;
        }
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            WatchKey key;
            try {
                key = watcher.poll(left, TimeUnit.NANOSECONDS);
            } catch (ClosedWatchServiceException closed) {
                return false;
            }
            if (key == null) {
                return false;
            }
            boolean created = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                created |= event.kind() == StandardWatchEventKinds.OVERFLOW
                        || socket.getFileName().equals(event.context());
            }
            if (!key.reset()) {
                close(); // the directory went away: watch it again when it is back
                return created;
            }
            if (created) {
                return true;
            }
        }
        return false;
    }

    /** Watches the socket's directory from now on, if it exists. */
    private boolean watching() {
        if (watcher != null) {
            return true;
        }
        try {
            WatchService service = socket.getFileSystem().newWatchService();
            try {
                socket.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE);
            } catch (IOException | RuntimeException e) {
                service.close();
                return false;
            }
            watcher = service;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing: nothing left to do with it
            }
            watcher = null;
        }
    }
}
