package dev.onshelf.core.rules;

import dev.onshelf.core.ingest.ApplyResult.Outcome;
import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.Event;
import dev.onshelf.core.model.FeedEvent;
import dev.onshelf.core.model.Numbered;
import dev.onshelf.core.model.Reading;
import dev.onshelf.core.model.ShelfCountEvent;
import dev.onshelf.core.model.ShelfEvent;
import dev.onshelf.core.model.StatusEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One store's state as a plain Java model of {@code apply.lua} (registry checks aside): the
 * executable specification that the property tests compare with a reference model, and that the
 * script's integration test compares with the script.
 */
public final class StoreLedger {
    private final ApplyParams params;
    private final Map<String, SourceLedger> sources = new HashMap<>();
    private final Map<String, ProductLedger> products = new HashMap<>();

    public StoreLedger(ApplyParams params) {
        this.params = params;
    }

    /** The outcome, and per changed GTIN the alerts raised. */
    public record Result(Outcome outcome, Map<String, List<AlertType>> changed) {
    }

    public Result apply(Event event, long now) {
        if (event instanceof StatusEvent) {
            return new Result(Outcome.APPLIED, Map.of());
        }
        Numbered numbered = (Numbered) event;
        SourceLedger source = sources.computeIfAbsent(event.source().value(), k -> new SourceLedger());
        Admission admission = source.admit(numbered.eventId(), event.session(), numbered.seq(), event.ts(),
            params.recentIds());
        if (admission == Admission.FORGOTTEN) {
            return new Result(Outcome.REJECTED, Map.of());
        }
        if (!admission.applies()) {
            return new Result(Outcome.DUPLICATE, Map.of());
        }
        Map<String, List<AlertType>> changed = new HashMap<>();
        if (event instanceof ShelfEvent s) {
            for (Reading r : s.readings()) {
                ProductLedger p = product(r.gtin().value());
                if (p.reading(s.source().value() + "|" + r.location(), r.count(), r.capacity(), s.ts())) {
                    changed.put(r.gtin().value(), p.settle(now, params));
                }
            }
        } else if (event instanceof ShelfCountEvent c) {
            ProductLedger p = product(c.gtin().value());
            if (p.staffShelfCount(c.count(), c.ts())) {
                changed.put(c.gtin().value(), p.settle(now, params));
            }
        } else {
            FeedEvent f = (FeedEvent) event;
            ProductLedger p = product(f.gtin().value());
            boolean applied = f.type().absolute() ? p.count(f.qty(), f.ts()) : p.delta(f.bookEffect(), f.ts(), params);
            if (applied) {
                changed.put(f.gtin().value(), p.settle(now, params));
            }
        }
        return new Result(changed.isEmpty() ? Outcome.STALE : Outcome.APPLIED, changed);
    }

    public ProductLedger product(String gtin) {
        return products.computeIfAbsent(gtin, k -> new ProductLedger());
    }

    public SourceLedger source(String id) {
        return sources.computeIfAbsent(id, k -> new SourceLedger());
    }

    public List<String> gtins() {
        return new ArrayList<>(products.keySet());
    }
}
