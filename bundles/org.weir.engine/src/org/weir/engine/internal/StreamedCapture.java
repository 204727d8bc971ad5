package org.weir.engine.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.weir.core.CaptureFormat;
import org.weir.core.CaptureReader;
import org.weir.core.ProgressMonitor;

/**
 * A capture read once, as a stream: the process's standard input ({@code -} in place of a file, as tcpdump and Zeek
 * take it), or a file that is no regular file (a named pipe, a shell's process substitution, a device). Its first
 * bytes pick the format, and the reader then gets them again in front of the rest of the stream.
 */
final class StreamedCapture implements Closeable {

    /** What errors and progress call standard input. */
    static final String STANDARD_INPUT = "standard input";

    /** How often a wait for the stream looks at the monitor. */
    private static final long POLL_MILLIS = 100;

    private final String name;
    private final CaptureFormat format;
    private final ReadableByteChannel channel;
    /** The decompression of a compressed stream, whose decompressed bytes {@link #channel} reads; null if none. */
    private final CompressedCapture.Decompressing decompressing;

    private StreamedCapture(String name, CaptureFormat format, ReadableByteChannel channel,
            CompressedCapture.Decompressing decompressing) {
        this.name = name;
        this.format = format;
        this.channel = channel;
        this.decompressing = decompressing;
    }

    /** What errors and progress call the stream. */
    String name() {
        return name;
    }

    /** {@link #open(List, Read, String, boolean, ProgressMonitor)} of the process's standard input. */
    static StreamedCapture standardInput(List<? extends CaptureFormat> formats, ProgressMonitor monitor)
            throws IOException {
        return open(formats, () -> System.in, STANDARD_INPUT, false, monitor);
    }

    /**
     * {@link #open(List, Read, String, boolean, ProgressMonitor)} of a file that is no regular file; opening a named
     * pipe waits for its writer, on the same thread as the first bytes.
     */
    static StreamedCapture file(List<? extends CaptureFormat> formats, Path file, ProgressMonitor monitor)
            throws IOException {
        return open(formats, () -> Files.newInputStream(file), file.toString(), true, monitor);
    }

    /**
     * Reads the first bytes of the stream and picks the format they are the magic of (of the decompressed bytes,
     * for a compressed stream). The bytes are read on a thread of their own, so that a pipe that stays silent
     * does not keep a cancelled analysis waiting.
     *
     * @param owned the stream was opened here, and is closed here when it cannot be read as a capture
     * @return null when the monitor said cancelled before they came
     * @throws org.weir.core.CaptureFormatException when none of the formats recognises them
     */
    private static StreamedCapture open(List<? extends CaptureFormat> formats, Read<InputStream> opener, String name,
            boolean owned, ProgressMonitor monitor) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(16);
        ReadableByteChannel channel = aside(() -> {
            ReadableByteChannel c = Channels.newChannel(opener.run());
            while (head.hasRemaining() && c.read(head) >= 0) {
                // a pipe may hand over fewer bytes per read
            }
            return c;
        }, name, monitor);
        if (channel == null) {
            return null;
        }
        boolean opened = false;
        try {
            StreamedCapture stream = recognised(formats, channel, head, name, monitor);
            opened = stream != null;
            return stream;
        } finally {
            if (!opened && owned) {
                channel.close(); // a pipe opened here: nothing else would close it
            }
        }
    }

    /** The stream whose first bytes {@code head} holds, its format (and compression) recognised by them. */
    private static StreamedCapture recognised(List<? extends CaptureFormat> formats, ReadableByteChannel channel,
            ByteBuffer head, String name, ProgressMonitor monitor) throws IOException {
        byte[] bytes = new byte[head.position()];
        head.flip().get(bytes);
        ReadableByteChannel stream = new HeadFirst(ByteBuffer.wrap(bytes), channel);
        Compression compression = Compression.of(bytes, bytes.length);
        if (compression == null) {
            return new StreamedCapture(name, Pipeline.formatOf(formats, name, bytes, bytes.length), stream, null);
        }
        CompressedCapture.Decompressing decompressing = aside(
                () -> CompressedCapture.decompress(compression, Channels.newInputStream(stream), name), name, monitor);
        byte[] decompressed = decompressing == null ? null
                : aside(() -> decompressing.readNBytes(head.capacity()), name, monitor);
        if (decompressed == null) {
            return null;
        }
        return new StreamedCapture(name, Pipeline.formatOf(formats, name, decompressed, decompressed.length),
                new HeadFirst(ByteBuffer.wrap(decompressed), decompressing.channel()), decompressing);
    }

    /**
     * Opens the reader, which reads the capture's header, on a thread of its own as {@link #open} reads the first
     * bytes; once it is open, {@link #watch} covers its waits.
     *
     * @return null when the monitor said cancelled before the header came
     */
    CaptureReader reader(ProgressMonitor monitor) throws IOException {
        return aside(() -> {
            CaptureReader reader = format.open(channel, name);
            return decompressing == null ? reader : decompressing.reader(reader, -1, name, name);
        }, name, monitor);
    }

    /**
     * Closes the stream, for one that no reader took over (the reader closes it otherwise). A failure to close is not
     * the analysis's: the stream was read as far as it will be.
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was lost: see above
        }
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    /** Runs a read that may wait on the stream on a daemon thread; null when the monitor says cancelled first. */
    private static <T> T aside(Read<T> read, String name, ProgressMonitor monitor) throws IOException {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                done.complete(read.run());
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "weir " + name);
        thread.setDaemon(true);
        thread.start();
        while (true) {
            try {
                return done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (monitor.isCancelled()) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e.getCause();
            }
        }
    }

    /**
     * Watches the monitor while the stream's reader is read, and makes the reader stop waiting for the pipe when the
     * analysis is cancelled; {@link Watch#close()} ends the watch.
     */
    Watch watch(CaptureReader reader, ProgressMonitor monitor) {
        return new Watch(reader, monitor, name);
    }

    static final class Watch implements AutoCloseable {
        private final Thread thread;
        private volatile boolean over;

        private Watch(CaptureReader reader, ProgressMonitor monitor, String name) {
            thread = new Thread(() -> {
                while (!over) {
                    if (monitor.isCancelled()) {
                        reader.abandon();
                        return;
                    }
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "weir " + name + " watch");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            over = true;
            thread.interrupt();
        }
    }

    /** The bytes read to recognise the format, then the rest of the stream. */
    private static final class HeadFirst implements ReadableByteChannel {
        private final ByteBuffer head;
        private final ReadableByteChannel rest;

        HeadFirst(ByteBuffer head, ReadableByteChannel rest) {
            this.head = head;
            this.rest = rest;
        }

        @Override
        public int read(ByteBuffer target) throws IOException {
            if (!head.hasRemaining()) {
                return rest.read(target);
            }
            int n = Math.min(head.remaining(), target.remaining());
            target.put(target.position(), head, head.position(), n);
            target.position(target.position() + n);
            head.position(head.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return rest.isOpen();
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }
}
