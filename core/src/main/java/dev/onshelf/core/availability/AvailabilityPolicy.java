package dev.onshelf.core.availability;

import java.time.Duration;

/**
 * The tunables of the availability rules.
 *
 * @param shelfFreshFor    how long a shelf reading counts as current (default 15 minutes)
 * @param bookFreshFor     how long book stock alone is trusted for a medium answer (default 24 hours)
 * @param lowStockUnits    at or below this many units a shelf is {@code LimitedAvailability}
 * @param missedHeartbeats heartbeats a device may miss before its readings go stale (default 3)
 */
public record AvailabilityPolicy(Duration shelfFreshFor, Duration bookFreshFor, int lowStockUnits,
                                 int missedHeartbeats) {
    public static final AvailabilityPolicy DEFAULT =
        new AvailabilityPolicy(Duration.ofMinutes(15), Duration.ofHours(24), 2, 3);
}
