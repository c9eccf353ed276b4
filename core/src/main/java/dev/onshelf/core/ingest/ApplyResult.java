package dev.onshelf.core.ingest;

import dev.onshelf.core.model.RejectReason;
import java.util.List;

/**
 * What applying one event did. {@code APPLIED}: state changed (the GTINs whose state changed are
 * listed); {@code DUPLICATE}: already applied; {@code STALE}: superseded by newer information (an older
 * absolute reading, or a delta already contained in a later COUNT); {@code REJECTED}: refused by the
 * registry, with a reason.
 */
public record ApplyResult(Outcome outcome, RejectReason reason, List<String> changedGtins) {
    public enum Outcome { APPLIED, DUPLICATE, STALE, REJECTED }

    public ApplyResult {
        changedGtins = List.copyOf(changedGtins);
    }

    public static ApplyResult rejected(RejectReason reason) {
        return new ApplyResult(Outcome.REJECTED, reason, List.of());
    }
}
