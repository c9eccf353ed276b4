package dev.onshelf.api.staff;

import java.time.Duration;

/**
 * What a staff JWT must carry beyond a valid signature, {@code exp} and {@code stores}: a lifetime of
 * at most {@code maxLifetime} (from {@code iat}, else {@code nbf}, else now, to {@code exp}), and, when
 * configured, this {@code iss} and an {@code aud} that includes {@code audience}.
 */
public record StaffTokenPolicy(Duration maxLifetime, String issuer, String audience) {
    public static final StaffTokenPolicy DEFAULT = new StaffTokenPolicy(Duration.ofHours(24), "", "");
}
