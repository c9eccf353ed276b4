package dev.onshelf.core.ingest;

import dev.onshelf.core.model.Event;
import java.util.concurrent.CompletionStage;

/**
 * The one door for writes that do not come over MQTT (staff counts, and any write added later):
 * behind it is the same pipeline as a device's events, with its alerts, webhooks, dead letters and
 * metrics. Callable from any thread; completes once the write is durable, a duplicate or refused.
 */
public interface Writes {
    CompletionStage<ApplyResult> submit(Event event, Attribution by);
}
