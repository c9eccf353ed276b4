package dev.onshelf.core.ingest;

import dev.onshelf.core.model.AlertType;
import dev.onshelf.core.model.RejectReason;
import java.util.List;

/**
 * What applying one event did. {@code APPLIED}: state changed (the products changed are listed, each
 * with the alerts its transition raised); {@code DUPLICATE}: already applied; {@code STALE}:
 * superseded by newer information (an older absolute reading, or a delta already contained in a
 * later COUNT); {@code REJECTED}: refused by the registry, with a reason. {@code ledgerBound}: the
 * source's exactly-once ledger reached a bound and forgot something (counted; see SourceLedger).
 */
public record ApplyResult(Outcome outcome, RejectReason reason, List<Change> changes, boolean ledgerBound) {
    public enum Outcome { APPLIED, DUPLICATE, STALE, REJECTED }

    /** One product whose state changed, and the alerts raised by the change. */
    public record Change(String gtin, List<AlertType> alerts) {
        public Change {
            alerts = List.copyOf(alerts);
        }
    }

    public ApplyResult {
        changes = List.copyOf(changes);
    }

    public ApplyResult(Outcome outcome, RejectReason reason, List<Change> changes) {
        this(outcome, reason, changes, false);
    }

    public static ApplyResult rejected(RejectReason reason) {
        return new ApplyResult(Outcome.REJECTED, reason, List.of());
    }

    public List<String> changedGtins() {
        return changes.stream().map(Change::gtin).toList();
    }

    public boolean hasAlerts() {
        return changes.stream().anyMatch(c -> !c.alerts().isEmpty());
    }
}
