package dev.onshelf.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import dev.onshelf.core.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The MQTT payload decoder under a coverage-guided fuzzer. Whatever a device sends, the decoder
 * either refuses it with a {@link ValidationException} carrying a reason and a message, or returns
 * an event that survives a round trip through our own encoder unchanged. Anything else (another
 * exception, a hang, an event that changes on re-encoding) is a finding.
 *
 * <p>Input: the first byte picks the topic (shelf, feed, status, or a fuzzed topic string ending at
 * the first newline); the rest is the payload. Kept inputs live in
 * {@code src/test/resources/dev/onshelf/core/codec/EventCodecFuzzTestInputs/decode/}.
 */
class EventCodecFuzzTest {
    private static final long NOW = 1_763_800_000_000L;  // 2025-11-22, fixed: the future bound is part of the input
    private static final String[] TOPICS = {"onshelf/v1/stores/S1/shelf/mat-1", "onshelf/v1/stores/S1/feed/till-1",
        "onshelf/v1/stores/S1/status/mat-1"};
    private final EventCodec codec = new EventCodec();

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int pick = (input[0] & 0xff) % 4;
        String topic;
        byte[] payload;
        if (pick < 3) {
            topic = TOPICS[pick];
            payload = Arrays.copyOfRange(input, 1, input.length);
        } else {
            int nl = 1;
            while (nl < input.length && input[nl] != '\n') {
                nl++;
            }
            topic = new String(input, 1, nl - 1, StandardCharsets.UTF_8);
            payload = nl < input.length ? Arrays.copyOfRange(input, nl + 1, input.length) : new byte[0];
        }
        Event event;
        try {
            event = codec.decode(topic, payload, NOW);
        } catch (ValidationException refused) {
            assertThat(refused.reason()).isNotNull();
            assertThat(refused.detail()).isNotBlank();
            return;
        }
        assertThat(codec.decode(topic, reencode(event), NOW)).as("round trip").isEqualTo(event);
    }

    private byte[] reencode(Event event) {
        return codec.encode(event);
    }
}
