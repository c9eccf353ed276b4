package dev.onshelf.simulators.torture;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, with a deadline, until the stream has drained: the books equal the expected values and stay
 * so for {@value #SETTLED_MS} ms (nothing more arrives), or, when they do not, until they have not
 * moved for {@value #STUCK_MS} ms (what is missing is not coming) or the deadline passes.
 */
final class Drain {
    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);
    private static final long SETTLED_MS = 3_000;
    private static final long STUCK_MS = 30_000;  // longer than OnShelf's 10 s MQTT watchdog after a broker restart
    private static final long DEADLINE_MS = 180_000;
    private final Books books;
    private final long[] expected;

    Drain(Books books, long[] expected) {
        this.books = books;
        this.expected = expected;
    }

    long[] await() throws InterruptedException {
        long start = System.nanoTime();
        long[] last = null;
        long since = start;
        while (true) {
            Optional<long[]> read = books.read();
            long now = System.nanoTime();
            if (read.isPresent() && !Arrays.equals(read.get(), last)) {
                last = read.get();
                since = now;
            }
            long stillMs = (now - since) / 1_000_000;
            if (last != null && stillMs >= (Arrays.equals(last, expected) ? SETTLED_MS : STUCK_MS)) {
                return last;
            }
            if ((now - start) / 1_000_000 > DEADLINE_MS) {
                LOG.warn("books still moving after {} ms: comparing what they show now", DEADLINE_MS);
                if (last == null) {
                    throw new IllegalStateException("no book could be read within " + DEADLINE_MS + " ms");
                }
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200);  // polling the API, with a deadline
        }
    }
}
