package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class BenchTableTest {
    private static final String RUN = """
        {
          "date": "2026-11-29T07:10:00.123Z", "mode": "quick", "label": "batch | off", "onshelfEnv": {"ONSHELF_X": "1"},
          "machine": {"cores": 2, "memoryBytes": 25769803776, "jvm": "OpenJDK 64-Bit Server VM 17.0.15"},
          "ingest": {"eventsPerSecond": 5000, "baselineEventsPerSecond": 20000, "ratio": 0.25,
                     "pahoSinkEventsPerSecond": 21000},
          "freshness": {"p50Ms": 4.3, "p99Ms": 22.5, "p999Ms": 160.9},
          "freshnessFixed": {"p50Ms": 3.9, "p99Ms": 18.25, "p999Ms": 90.0},
          "api": {"requestsPerSecond": 27000, "baselineRequestsPerSecond": 45000, "ratio": 0.6, "p99Ms": 12.534,
                  "baselineP99Ms": 3.5},
          "scaling": {
            "ingest": [
              {"publishers": 1, "events": 30000, "eventsPerSecond": 3000, "baselineEventsPerSecond": 10000, "ratio": 0.3,
               "cost": {"cpuMicrosPerEvent": {"redis": 30.5, "onshelf": 90.0}},
               "baselineCost": {"cpuMicrosPerEvent": {"broker": 20.0}}},
              {"publishers": 2, "events": 30000, "eventsPerSecond": 4000, "baselineEventsPerSecond": 16000, "ratio": 0.25},
              {"publishers": 4, "events": 60000, "eventsPerSecond": 5000, "baselineEventsPerSecond": 20000, "ratio": 0.25}],
            "api": [
              {"connections": 16, "seconds": 5.0, "requestsPerSecond": 20000, "baselineRequestsPerSecond": 40000,
               "ratio": 0.5, "p99Ms": 2.0, "baselineP99Ms": 1.0,
               "cost": {"cpuMicrosPerEvent": {"redis": 25.0, "onshelf": 200.0}},
               "baselineCost": {"cpuMicrosPerEvent": {"baseline": 80.0}}},
              {"connections": 64, "seconds": 10.0, "requestsPerSecond": 27000, "baselineRequestsPerSecond": 45000,
               "ratio": 0.6, "p99Ms": 12.5, "baselineP99Ms": 3.5}]},
          "cost": {
            "ingest": {"events": 60000, "seconds": 12.0, "cpuMicrosPerEvent": {"redis": 41.5, "onshelf": 120.0},
                       "coresBusy": {"redis": 0.21, "onshelf": 0.6},
                       "redisCommands": [{"command": "evalsha", "calls": 60000, "callsPerEvent": 1.0, "usecPerCall": 30.1},
                                         {"command": "zadd", "calls": 60000, "callsPerEvent": 1.0, "usecPerCall": 2.0}]},
            "apiBaseline": {"events": 400000, "seconds": 10.0,
                            "cpuMicrosPerEvent": {"redis": 5.0, "onshelf": 0.1, "baseline": 60.0},
                            "coresBusy": {"redis": 0.2, "onshelf": 0.0, "baseline": 0.9},
                            "redisCommands": [{"command": "hget", "calls": 400000, "callsPerEvent": 1.0,
                                               "usecPerCall": 1.5}]}},
          "profile": {"file": "bench-results/20261129-071000-profile.txt",
                      "phases": {"ingest": {"samples": 900, "topFrames": [
                        {"frame": "org.eclipse.paho.mqttv5.common.packet.CountingInputStream.read", "pct": 9.5}]}}}
        }
        """;

    private ObjectNode run() throws Exception {
        return (ObjectNode) new ObjectMapper().readTree(RUN);
    }

    @Test
    void namesTheLeverAndTheResultFileInTheHeader() throws Exception {
        String md = BenchTable.render(run(), "bench-results/20261129-071000.json");

        assertThat(md).startsWith("Latest run: 2026-11-29T07:10:00.123Z (quick), \"batch \\| off\", OnShelf env "
            + "ONSHELF_X=1; 2 cores, 24 GiB").contains("`bench-results/20261129-071000.json`");
    }

    @Test
    void keepsTheMainFiguresWithTheirTargets() throws Exception {
        String md = BenchTable.render(run(), "r.json");

        assertThat(md).contains("| ingest, events/s (QoS 1, applied + acked) | 5,000.0 | 20,000.0 | 0.25× | ≥ 0.5× broker "
                + "| **no** |")
            .contains("| API p99, ms | 12.5 | 3.5 | 3.58× | ≤ 10 | **no** |")
            .contains("| freshness p99, ms | 22.500 | — | — | ≤ 50 | yes |")
            .contains("| freshness p99 at a fixed background of 2500 events/s, ms | 18.250 | — | — | — | — |")
            .contains("| ingest: Redis CPU per event, µs | 41.500 |")
            // not measured in this run: no row
            .doesNotContain("Redis bytes per").doesNotContain("API: Redis CPU per request");
    }

    @Test
    void rendersAScalingRowPerPointAndSaysWhichPointsAreShorter() throws Exception {
        String md = BenchTable.render(run(), "r.json");

        assertThat(md).contains("1, 2 publishers: 30000 events each", "16 connections: 5.0 s each")
            .contains("| ingest, 1 publisher, events/s | 3,000 | 10,000 | 0.30× | — | — | 30.5 / 90.0 | broker 20.0 |")
            .contains("| ingest, 4 publishers, events/s | 5,000 | 20,000 | 0.25× | — | — | — / — | broker — |")
            .contains("| API, 16 connections, lookups/s | 20,000 | 40,000 | 0.50× | 2.0 | 1.0 | 25.0 / 200.0 "
                + "| bare route's JVM 80.0 |");
    }

    @Test
    void rendersWhereTheCpuGoesAndTheProfile() throws Exception {
        String md = BenchTable.render(run(), "r.json");

        assertThat(md).contains("| ingest (OnShelf) | 41.5 (0.21) | 120.0 (0.60) | — | — | evalsha 1.00 × 30.1; "
                + "zadd 1.00 × 2.0 |")
            // the bare route's own JVM in the server column, not OnShelf's idle one
            .contains("| API (bare route) | 5.0 (0.20) | 60.0 (0.90) | — | — | hget 1.00 × 1.5 |")
            .contains("JFR profile of OnShelf: `bench-results/20261129-071000-profile.txt`")
            .contains("ingest (900 samples): `CountingInputStream.read` 9.5%");
    }

    @Test
    void aLeverRowCarriesTheRatiosAndTheCosts() throws Exception {
        assertThat(BenchTable.leverRow(run(), "bench-results/x.json")).isEqualTo(
            "| 2026-11-29 07:10 | batch \\| off | ONSHELF_X=1 | 0.25× | 0.60× | 12.5 | 22.5 | 41.5 | 120.0 "
                + "| `bench-results/x.json` |\n");
    }

    @Test
    void aRowGoesJustBeforeTheEndMarkerOrNowhere() {
        String md = "# B\n| a |\n|---|\n" + BenchReport.LEVERS_END + "\nrest\n";

        assertThat(BenchReport.insertBefore(md, BenchReport.LEVERS_END, "| 1 |\n"))
            .isEqualTo("# B\n| a |\n|---|\n| 1 |\n" + BenchReport.LEVERS_END + "\nrest\n");
        assertThat(BenchReport.insertBefore("no marker", BenchReport.LEVERS_END, "| 1 |\n")).isEqualTo("no marker");
    }

    @Test
    void shortensAFrameToClassAndMethod() {
        assertThat(BenchTable.shortFrame("io.netty.channel.epoll.Native.epollWait")).isEqualTo("Native.epollWait");
        assertThat(BenchTable.shortFrame("Top.run")).isEqualTo("Top.run");
    }
}
