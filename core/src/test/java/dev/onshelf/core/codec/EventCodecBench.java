package dev.onshelf.core.codec;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.EventType;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.StoreId;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A rough micro benchmark of {@link EventCodec#decode} (a plain main, not a test, no JMH): a mix of
 * a shelf message with 1 reading, one with 10, a feed SALE and a status, decoded 2 million times
 * after a warm-up, by the streaming decoder and by {@link TreeEventCodec}, the tree-based decoder it
 * replaced. Prints ns and bytes allocated per message (the thread's allocation counter). One JVM,
 * one thread, no fork: figures on a shared machine are noisy; compare the two, not across runs.
 *
 * <pre>mvn -B -q -o test-compile -pl core && java -cp core/target/classes:core/target/test-classes:$CP \
 *     dev.onshelf.core.codec.EventCodecBench [messages]</pre>
 */
public final class EventCodecBench {
    private static final String SHELF = "onshelf/v1/stores/0421/shelf/mat-07";
    private static final String FEED = "onshelf/v1/stores/0421/feed/till-3";
    private static final String STATUS = "onshelf/v1/stores/0421/status/mat-07";

    private EventCodecBench() {
    }

    private interface Decoder {
        Event decode(String topic, byte[] payload, long now);
    }

    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        long now = System.currentTimeMillis();
        EventCodec codec = new EventCodec();
        TreeEventCodec tree = new TreeEventCodec();
        String[] topics = {SHELF, SHELF, FEED, STATUS};
        byte[][] payloads = mix(codec, now - 1_000);
        Decoder streaming = codec::decode;
        Decoder reference = tree::decode;
        for (int i = 0; i < topics.length; i++) {
            if (!streaming.decode(topics[i], payloads[i], now).equals(reference.decode(topics[i], payloads[i], now))) {
                throw new IllegalStateException("the decoders disagree on " + new String(payloads[i]));
            }
        }
        System.out.printf("payload sizes: %d, %d, %d, %d bytes%n", payloads[0].length, payloads[1].length,
            payloads[2].length, payloads[3].length);
        run("warm-up tree     ", reference, topics, payloads, now, 400_000);
        run("warm-up streaming", streaming, topics, payloads, now, 400_000);
        for (int round = 1; round <= 2; round++) {
            run("round " + round + " tree     ", reference, topics, payloads, now, messages);
            run("round " + round + " streaming", streaming, topics, payloads, now, messages);
        }
    }

    private static byte[][] mix(EventCodec codec, long ts) {
        List<Reading> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(new Reading(Gtin.fromBody("400638133" + (1000 + i)), 3 + i, 24, "A12-" + i));
        }
        return new byte[][] {
            codec.encode(new ShelfEvent(new StoreId("0421"),
                DeviceId.parse("mat-07"), "3f1c2a9e-0b7d-4c55-9a41-5e2d6f1c0a01", 1042, ts,
                List.of(new Reading(Gtin.parse("4006381333931"), 4, 12, "A12-3")), "boot-0042")),
            codec.encode(new ShelfEvent(new StoreId("0421"),
                DeviceId.parse("mat-07"), "3f1c2a9e-0b7d-4c55-9a41-5e2d6f1c0a02", 1043, ts, ten,
                "boot-0042")),
            codec.encode(new FeedEvent(new StoreId("0421"),
                DeviceId.parse("till-3"), "9a0b7c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d", 77, ts,
                EventType.SALE, Gtin.parse("4006381333931"), 2, "boot-7")),
            codec.encode(new StatusEvent(new StoreId("0421"),
                DeviceId.parse("mat-07"), ts, true, 60, "boot-0042")),
        };
    }

    private static void run(String label, Decoder decoder, String[] topics, byte[][] payloads, long now, int messages) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long sink = 0;
        long bytes0 = threads.getThreadAllocatedBytes(thread);
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            int k = i & 3;
            sink += decoder.decode(topics[k], payloads[k], now).hashCode();
        }
        long elapsed = System.nanoTime() - t0;
        long bytes = threads.getThreadAllocatedBytes(thread) - bytes0;
        System.out.printf("%s: %7.1f ns/message, %7.1f bytes/message (%d messages, sink %d)%n", label,
            (double) elapsed / messages, (double) bytes / messages, messages, sink & 0xff);
    }
}
