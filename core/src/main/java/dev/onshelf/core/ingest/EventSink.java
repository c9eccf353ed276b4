package dev.onshelf.core.ingest;

import dev.onshelf.core.model.Event;
import java.util.concurrent.CompletionStage;

/**
 * Where the gateway hands validated events. The returned stage completes only once the event's
 * effect is durable in the store (or it was found to be a duplicate, stale or refused): only then
 * may the gateway acknowledge the message to the broker.
 */
public interface EventSink {
    CompletionStage<ApplyResult> apply(Event event);

    /** Records a refused message in the bounded dead-letter stream. */
    CompletionStage<Void> deadLetter(DeadLetter letter);
}
