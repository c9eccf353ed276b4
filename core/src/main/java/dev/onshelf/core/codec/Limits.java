package dev.onshelf.core.codec;

import java.time.Duration;

/**
 * Bounds on what a payload may carry. Anything outside is rejected, never clamped:
 * <ul>
 *   <li>{@code maxPayloadBytes}: checked before parsing (default 64 KiB);</li>
 *   <li>{@code maxUnits}: a shelf count, capacity or a feed quantity (default 100,000 units);</li>
 *   <li>{@code maxBatch}: readings in one shelf message (default 500);</li>
 *   <li>{@code maxFutureSkew}: how far a source clock may run ahead of ours (default 5 minutes).</li>
 * </ul>
 */
public record Limits(int maxPayloadBytes, long maxUnits, int maxBatch, Duration maxFutureSkew) {
    public static final Limits DEFAULT = new Limits(64 * 1024, 100_000, 500, Duration.ofMinutes(5));
}
