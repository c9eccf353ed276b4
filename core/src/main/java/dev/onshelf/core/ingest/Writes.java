package dev.onshelf.core.ingest;

import dev.onshelf.core.model.Event;
import java.util.concurrent.CompletionStage;

/**
 * The one door for writes that do not come over MQTT (staff counts, dead letters replayed, and any
 * write added later): behind it is the same pipeline as a device's events, with its alerts, webhooks,
 * dead letters and metrics. Callable from any thread; completes once the write is durable, a
 * duplicate or refused.
 */
public interface Writes {
    CompletionStage<ApplyResult> submit(Event event, Attribution by);

    /**
     * A refused MQTT message again (a dead letter, after a fix such as registering its device): decoded
     * and applied exactly as when it came, through the same exactly-once ledger, so replaying it twice
     * changes nothing the second time. A refusal is reported, not dead-lettered again (the letter is
     * still there) nor sent to the device's error topic.
     */
    CompletionStage<ApplyResult> replay(String topic, byte[] payload);
}
