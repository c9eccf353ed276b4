package dev.onshelf.core.ingest;

import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.StoreId;
import java.util.concurrent.CompletionStage;

/** Where restock alerts go (the store's MQTT alerts topic); completes when the broker has them. */
public interface AlertSink {
    CompletionStage<Void> publish(StoreId store, String gtin, AlertType type, long ts);
}
