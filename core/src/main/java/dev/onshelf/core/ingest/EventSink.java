package dev.onshelf.core.ingest;

import dev.onshelf.core.model.Event;
import java.util.ArrayList;
import java.util.List;
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

    /** One write of a batch: the event and who made it. */
    record Write(Event event, Attribution by) {
    }

    /**
     * Applies several events, in order, with the same meaning as applying them one by one: stage
     * {@code i} completes as {@code apply(writes.get(i))} would. A store may apply them in one round
     * trip (Redis: one script call for the batch).
     */
    default List<CompletionStage<ApplyResult>> applyAll(List<Write> writes) {
        List<CompletionStage<ApplyResult>> out = new ArrayList<>(writes.size());
        for (Write w : writes) {
            out.add(apply(w.event(), w.by()));
        }
        return out;
    }

    /**
     * {@link #applyAll(List)} behind a fence: {@code fence} gives, per store, the store's server process
     * (a Redis run id) the caller has applied that store's events on; a call that runs on another
     * process (a restarted or promoted Redis, which may have lost writes it answered) applies nothing of
     * the batch and each of its stages fails with {@link StoreFencedException}, naming the process. A
     * call holding stores whose processes differ is refused too, so that each learns its own. A store
     * with no notion of processes applies as {@link #applyAll(List)} does.
     */
    default List<CompletionStage<ApplyResult>> applyAll(List<Write> writes,
                                                        java.util.function.Function<dev.onshelf.core.model.StoreId, String> fence) {
        return applyAll(writes);
    }

    /** {@link #applyAll(List, java.util.function.Function)} with one process for every store. */
    default List<CompletionStage<ApplyResult>> applyAll(List<Write> writes, String fence) {
        return applyAll(writes, store -> fence);
    }

    /** Records a refused message in the bounded dead-letter stream. */
    CompletionStage<Void> deadLetter(DeadLetter letter);
}
