package dev.onshelf.core.ingest;

import dev.onshelf.core.model.Event;
import java.util.concurrent.CompletionStage;

/**
 * Where validated events are applied. The returned stage completes only once the event's effect is
 * durable in the store (or it was found to be a duplicate, stale or refused): only then may the
 * gateway acknowledge the message to the broker, or the API answer the request.
 */
public interface EventSink {
    CompletionStage<ApplyResult> apply(Event event, Attribution by);

    default CompletionStage<ApplyResult> apply(Event event) {
        return apply(event, Attribution.NONE);
    }

    /** Records a refused message in the bounded dead-letter stream. */
    CompletionStage<Void> deadLetter(DeadLetter letter);
}
