package dev.onshelf.simulators.fleet;

/**
 * How often things go wrong in a simulated fleet. Rates per published event (duplicate, reorder,
 * malformed) or per device-second (restart, offline) or per store-second (theft).
 *
 * @param duplicate    an event is published twice
 * @param reorder      an event is held back and published after the device's next one
 * @param malformed    a garbage message is published besides the event
 * @param restart      a device restarts: its sequence numbers start again from 1
 * @param offline      a device goes offline for a while: half of them abruptly (the broker publishes
 *                     their will), half silently (they just stop, and miss heartbeats)
 * @param theft        units vanish from a shelf with no sale: phantom stock in the books
 */
public record FaultMix(double duplicate, double reorder, double malformed, double restart, double offline,
                       double theft) {
    public static final FaultMix NONE = new FaultMix(0, 0, 0, 0, 0, 0);
    public static final FaultMix DEFAULT = new FaultMix(0.02, 0.02, 0.01, 0.005, 0.01, 0.05);
}
