package dev.onshelf.simulators.torture;

import java.io.PrintStream;
import java.util.List;

/**
 * What a torture run saw. Per product, a book above the expected value is sales lost; below it,
 * sales counted twice (a product can hide one behind the other: these are net figures per product).
 * {@code received}: per gateway, the MQTT messages it received (redeliveries included; a lower bound,
 * its killed processes' counts read just before each kill).
 */
public record TortureResult(long events, long messages, int cycles, long lost, long doubled, int productsWrong,
    List<Faults.Timing> faults, double streamSeconds, double drainSeconds, double totalSeconds, List<Long> received) {

    /** Whether every fault struck while the tills were still publishing. */
    public boolean faultsDuringStream() {
        return faults.stream().allMatch(Faults.Timing::duringStream);
    }

    /** The faults' names, in the order they struck (e.g. {@code gateway-2 kill -9}, {@code redis kill -9}). */
    public List<String> faultNames() {
        return faults.stream().map(Faults.Timing::fault).toList();
    }

    public boolean exact() {
        return lost == 0 && doubled == 0;
    }

    public void print(PrintStream out) {
        out.printf("torture: %,d sales (%,d messages with retries), %d cycles, stream %.1f s, drain %.1f s, "
            + "total %.1f s%n", events, messages, cycles, streamSeconds, drainSeconds, totalSeconds);
        for (Faults.Timing f : faults) {
            out.printf("  cycle %2d  %-16s at %6.1f s (sale %,d)  back after %,d ms%s%n", f.cycle(), f.fault(),
                f.atSecond(), f.atEvent(), f.outageMillis(), f.duringStream() ? "" : "  (after the stream ended)");
        }
        if (received.size() > 1) {
            for (int g = 0; g < received.size(); g++) {
                out.printf("  gateway-%d received %,d messages%n", g + 1, received.get(g));
            }
        }
        out.printf("  lost: %,d   doubled: %,d   (products wrong: %d)%n", lost, doubled, productsWrong);
        out.println(exact() ? "torture: exact" : "torture: NOT exact");
    }
}
