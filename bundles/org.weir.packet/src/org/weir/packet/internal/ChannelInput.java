package org.weir.packet.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * A file read through reusable buffers, so captures larger than memory stream with a fixed footprint. Records are
 * handed out as offsets into {@link #buf}; they stay valid until the next {@link #ensure} call that has to bring in
 * more bytes. A stream (standard input, a pipe) is read the same way, in order and to its end, with a size that is
 * not known ({@link #size} -1): bytes the read-ahead has taken from it are kept, not read again, and only the
 * read-ahead thread ever waits for it, so that {@link #abandon} can end the caller's wait for a pipe that stays
 * silent.
 *
 * <p>Read-ahead: while the caller works through one window of the file, a background thread reads the next into a
 * second buffer, so the system call and its copies happen on another core. When the caller needs more, the
 * buffers swap and the partial record at the end of the old window is copied in front of the new one (into room
 * kept for it, {@link #carry}). A file that fits one buffer is read at once, without a thread; a partial record
 * larger than that room, a skip beyond the read-ahead, or a record longer than a window take the synchronous path,
 * which compacts, grows and refills the buffer in place.
 */
final class ChannelInput implements Closeable {

    /**
     * Default window: large enough that refills are rare (one swap per ~500 records), small enough that the buffers
     * stay in the caches: with 4 MiB windows every copy went through memory, 190 instead of 91 ns of CPU per record
     * of the benchmark capture (a memory-mapped window copied into the buffer measured no faster, 97 ns: mapping and
     * unmapping the page-cache pages cost what the saved copy gains).
     */
    static final int DEFAULT_BUFFER = 256 << 10;

    /** Room in front of a read-ahead window for the partial record carried over: jumbo (offload) frames fit. */
    private static final int MAX_CARRY = 64 << 10;

    /** The file, read by position; null for a stream. */
    private final FileChannel channel;
    /** The stream, read in order; null for a file. */
    private final ReadableByteChannel stream;
    /** Bytes taken from {@link #stream} so far: the stream offset of its next byte. */
    private long streamed;
    private final String name;
    /** The path as the caller gave it: what errors name, so that two files of one name are told apart. */
    final String source;
    private final long size;
    private final int maxBuffer;
    private final int window, carry;

    /** The buffer; frames handed out point into it. */
    byte[] buf;
    /** Next unread byte in {@link #buf}. */
    int pos;
    /** End of valid bytes in {@link #buf}. */
    int limit;
    /** File offset of {@code buf[0]}. */
    private long bufStart;
    private boolean eof;

    /** The buffer the read-ahead fills at {@link #carry}, with the file's bytes from {@link #aheadOffset}. */
    private byte[] spare;
    private long aheadOffset;
    /**
     * The read-ahead thread: a stream's from the start; a file's once the caller comes back for its second window, so
     * that a look at a file's first frames (a merge of many files looks at each) starts no thread; never for a file
     * that fits one buffer.
     */
    private ReadAhead ahead;
    /** A file larger than one buffer, whose first window has been read: the next refill starts the read-ahead. */
    private boolean aheadDue;
    private boolean aheadPending;

    ChannelInput(Path file, int bufferSize, int maxBuffer) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.stream = null;
        this.name = String.valueOf(file.getFileName());
        this.source = file.toString();
        this.size = channel.size();
        this.maxBuffer = Math.max(bufferSize, maxBuffer);
        this.window = bufferSize;
        this.carry = Math.min(MAX_CARRY, bufferSize);
        if (size > bufferSize) {
            // Two buffers that take turns, each with room for a carried partial record before its window.
            this.buf = new byte[carry + window];
            this.spare = new byte[carry + window];
        } else {
            // A small file does not need the full buffer; a record can never be larger than its file.
            this.buf = new byte[(int) Math.max(16, size)];
        }
    }

    /**
     * A stream of unknown length, read in order with a read-ahead.
     *
     * @param name what errors and progress call it, e.g. "standard input"
     */
    ChannelInput(ReadableByteChannel stream, String name, int bufferSize, int maxBuffer) {
        this.channel = null;
        this.stream = stream;
        this.name = name;
        this.source = name;
        this.size = -1;
        this.maxBuffer = Math.max(bufferSize, maxBuffer);
        this.window = bufferSize;
        this.carry = Math.min(MAX_CARRY, bufferSize);
        this.buf = new byte[carry + window];
        this.spare = new byte[carry + window];
        this.ahead = new ReadAhead();
    }

    /** Size of the file in bytes; -1 for a stream. */
    long size() {
        return size;
    }

    /** File offset of the next unread byte. */
    long position() {
        return bufStart + pos;
    }

    /** File offset of a buffer index. */
    long offsetOf(int index) {
        return bufStart + index;
    }

    int available() {
        return limit - pos;
    }

    /**
     * Makes at least {@code n} bytes available from {@link #pos}, from the read-ahead or by refilling (and, once,
     * growing up to the cap) the buffer. Invalidates earlier offsets into the buffer when it brings in bytes.
     *
     * @return the bytes available from {@link #pos}; less than {@code n} only at the end of the file
     * @throws IllegalArgumentException when {@code n} exceeds the buffer cap (the caller reports the format error)
     */
    int ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return limit - pos;
        }
        if (n > maxBuffer) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the " + maxBuffer + "-byte cap");
        }
        if (eof) {
            return limit - pos;
        }
        int rest = limit - pos;
        if (aheadPending && rest <= carry && aheadOffset == bufStart + limit) {
            int got = await();
            byte[] next = spare;
            System.arraycopy(buf, pos, next, carry - rest, rest);
            spare = buf;
            buf = next;
            bufStart = aheadOffset - carry;
            pos = carry - rest;
            limit = carry + Math.max(got, 0);
            eof = stream != null ? got < 0 : got < window;
            if (limit - pos >= n || eof) {
                readAhead();
                return limit - pos;
            }
        }
        refill(n);
        readAhead();
        return limit - pos;
    }

    /** The synchronous path: compacts (or grows) the buffer and fills it to the end from the file. */
    private void refill(int n) throws IOException {
        if (stream != null) {
            refillStream(n);
            return;
        }
        discardAhead();
        compact(n);
        // Fill the whole buffer, not just n bytes, so small records need few system calls.
        int wanted = buf.length - limit;
        int r = fill(ByteBuffer.wrap(buf, limit, wanted), bufStart + limit);
        if (r < wanted) {
            eof = true;
        }
        limit += Math.max(r, 0);
    }

    /**
     * The same for a stream, whose bytes come as they come: keeps what the read-ahead took, then has the read-ahead
     * thread read more (so that only it waits on a silent pipe) until {@code n} bytes are there or the stream ends.
     */
    private void refillStream(int n) throws IOException {
        if (aheadPending) {
            keepAhead(n);
        }
        while (limit - pos < n && !eof) {
            compact(n);
            aheadOffset = bufStart + limit;
            aheadPending = true;
            ahead.request(buf, limit, buf.length, aheadOffset);
            int r = await();
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    /** Moves the unread bytes to the front of the buffer, growing it (up to the cap) to hold {@code n}. */
    private void compact(int n) {
        if (n > buf.length) {
            byte[] bigger = new byte[Math.min(maxBuffer, Math.max(n, buf.length * 2))];
            System.arraycopy(buf, pos, bigger, 0, limit - pos);
            buf = bigger;
        } else if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
        }
        bufStart += pos;
        limit -= pos;
        pos = 0;
    }

    /**
     * For a stream, whose bytes can be read once only: appends what the pending read-ahead took from it to the
     * buffer's bytes (compacted, grown to hold {@code n} and them).
     */
    private void keepAhead(int n) throws IOException {
        int got = await();
        if (got < 0) {
            eof = true;
            return;
        }
        int rest = limit - pos;
        byte[] target = buf;
        if (rest + got > buf.length || n > buf.length) {
            target = new byte[Math.max(rest + got, Math.min(maxBuffer, Math.max(n, buf.length * 2)))];
        }
        System.arraycopy(buf, pos, target, 0, rest);
        System.arraycopy(spare, carry, target, rest, got);
        buf = target;
        bufStart += pos;
        pos = 0;
        limit = rest + got;
    }

    /**
     * Fills the buffer's remaining room with the file's bytes from {@code offset}: the bytes read, fewer only at the
     * end of the file (-1 when there are none). A stream is read in order ({@code offset} is where it stands) and
     * gives what it has: at least one byte, or -1 at its end.
     */
    private int fill(ByteBuffer target, long offset) throws IOException {
        if (stream != null) {
            if (offset != streamed) {
                throw new IllegalStateException("a stream read at " + offset + " while it stands at " + streamed);
            }
            int r;
            do {
                r = stream.read(target);
            } while (r == 0 && target.hasRemaining());
            streamed += Math.max(r, 0);
            return r;
        }
        int total = 0;
        while (target.hasRemaining()) {
            int r = channel.read(target, offset + total);
            if (r < 0) {
                return total == 0 ? -1 : total;
            }
            total += r;
        }
        return total;
    }

    /** Starts reading the window after the buffer's bytes into the spare buffer, when the file has more. */
    private void readAhead() {
        long from = bufStart + limit;
        if (eof || (stream == null && from >= size)) {
            return; // (a file growing while it is read is followed by the synchronous path)
        }
        if (ahead == null) {
            if (size <= window) {
                return; // read at once
            }
            if (!aheadDue) {
                aheadDue = true; // the second window is read as the first was
                return;
            }
            ahead = new ReadAhead();
        }
        aheadOffset = from;
        aheadPending = true;
        ahead.request(spare, carry, carry + window, from);
    }

    /** The read-ahead's result, once it is done: bytes read, -1 at the end of the file; its I/O error as this input's. */
    private int await() throws IOException {
        aheadPending = false;
        return ahead.await();
    }

    /**
     * From another thread: the caller stops waiting for the stream, which it then finds ended after the bytes it has
     * (a record cut there is reported as truncated). For a stream only; the read-ahead thread is left waiting on it.
     */
    void abandon() {
        if (stream != null) {
            ahead.abandon();
        }
    }

    /** Waits for a read-ahead that will not be used (its buffer is about to be reused) and drops it. */
    private void discardAhead() {
        if (aheadPending) {
            try {
                await();
            } catch (IOException ignored) {
                // the synchronous read that follows meets the same error, if it persists
            }
        }
    }

    /**
     * The thread reading the next window while the caller works through the current one: one request at a time,
     * handed over through volatile fields and park/unpark, so a window costs no allocation.
     */
    private final class ReadAhead implements Runnable {
        private final Thread worker;
        private final Thread owner = Thread.currentThread();
        private ByteBuffer target;
        private byte[] targetArray;
        private int start, end;
        private long offset;
        private int result;
        private IOException error;
        /** Set by the caller with a request, cleared by the worker when it is done (publishes the bytes). */
        private volatile boolean busy;
        private volatile boolean closed;
        private volatile boolean abandoned;
        private volatile Thread waiter;

        ReadAhead() {
            worker = new Thread(this, "weir read-ahead " + name);
            worker.setDaemon(true);
            worker.start();
        }

        /** Reads the bytes from {@code from} into {@code into[start, end)}. */
        void request(byte[] into, int start, int end, long from) {
            if (into != targetArray) {
                targetArray = into;
                target = ByteBuffer.wrap(into);
            }
            this.start = start;
            this.end = end;
            offset = from;
            error = null;
            busy = true;
            LockSupport.unpark(worker);
        }

        int await() throws IOException {
            boolean interrupted = false;
            waiter = Thread.currentThread();
            while (busy) {
                if (abandoned) {
                    return -1; // the stream is taken as ended; this thread's read stays with the worker
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true; // finish the read: the buffer must not change under a later caller
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            return result;
        }

        @Override
        public void run() {
            while (!closed) {
                if (!busy) {
                    LockSupport.park(this);
                    continue;
                }
                try {
                    target.limit(end).position(start);
                    result = fill(target, offset);
                } catch (IOException e) {
                    error = e;
                } catch (RuntimeException e) {
                    error = new IOException("reading " + source + " failed: " + e, e);
                }
                busy = false;
                Thread w = waiter;
                LockSupport.unpark(w != null ? w : owner);
            }
        }

        void abandon() {
            abandoned = true;
            Thread w = waiter;
            LockSupport.unpark(w != null ? w : owner);
        }

        void close() {
            closed = true;
            LockSupport.unpark(worker);
        }
    }

    /**
     * Skips {@code n} bytes without reading them into memory when they are not buffered.
     *
     * @throws EOFException when the file ends first
     */
    void skip(long n) throws IOException {
        long inBuffer = limit - pos;
        if (n <= inBuffer) {
            pos += (int) n;
            return;
        }
        if (stream != null) {
            // A stream cannot jump: its bytes pass through the buffer and are dropped.
            while (n > 0) {
                int have = ensure((int) Math.min(n, window));
                if (have == 0) {
                    throw new EOFException();
                }
                int step = (int) Math.min(have, n);
                pos += step;
                n -= step;
            }
            return;
        }
        long target = bufStart + limit + (n - inBuffer);
        if (target > size) {
            pos = limit;
            throw new EOFException();
        }
        discardAhead();
        bufStart = target;
        pos = limit = 0;
        eof = false;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            // A read-ahead waiting on a pipe may wait for ever: it is left to end with the stream (a daemon thread,
            // whose buffer nobody reads any more).
            ahead.close();
            stream.close();
            return;
        }
        try {
            discardAhead();
            if (ahead != null) {
                ahead.close();
            }
        } finally {
            channel.close();
        }
    }
}
