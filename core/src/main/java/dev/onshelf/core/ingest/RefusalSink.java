package dev.onshelf.core.ingest;

import dev.onshelf.core.model.DeviceId;
import dev.onshelf.core.model.RejectReason;
import dev.onshelf.core.model.StoreId;
import java.util.concurrent.CompletionStage;

/**
 * Where a device is told why OnShelf refused one of its messages: its error topic
 * ({@link dev.onshelf.core.model.Topic#errors}). The PUBACK a device gets is the broker's, sent before
 * any subscriber has the message, so a refusal cannot travel on it. Best effort; completes once it is sent.
 */
public interface RefusalSink {
    /** {@code eventId}: the message's, or null when it could not be read. */
    CompletionStage<Void> refused(StoreId store, DeviceId device, String eventId, RejectReason reason, String detail);

    RefusalSink NONE = (store, device, eventId, reason, detail) -> java.util.concurrent.CompletableFuture.completedStage(null);
}
