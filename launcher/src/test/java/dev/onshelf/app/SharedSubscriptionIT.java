package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onshelf.simulators.torture.Torture;
import dev.onshelf.simulators.torture.TortureOptions;
import dev.onshelf.simulators.torture.TortureResult;
import dev.onshelf.testkit.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several gateways (issue 13, item 2): two OnShelf gateway processes, each its own JVM, client id and
 * persistent session, share the ingest through one MQTT 5 shared subscription on a real Mosquitto
 * (round robin per message, so one till's sales reach both gateways and are applied in different
 * orders); the torture's faults kill one gateway -9 in each cycle while the tills publish (the second,
 * then the first) and restart it with its client id, and kill Redis -9. Every product's book is then
 * exactly the primed count less the sales published: 0 lost, 0 doubled.
 *
 * <p>Needs Mosquitto 2.0.12 or later (e.g. {@code ONSHELF_MOSQUITTO=/path/to/mosquitto}): 2.0.11 (Debian
 * 12's) does not move a resumed session's shared subscriptions to its new connection (fixed upstream in
 * 2.0.12, "Fix $share subscriptions not being recovered for durable clients"), so a restarted gateway's
 * share of the messages goes to its dead connection and is lost (RELIABILITY.md: 400-8,764 lost per run
 * here). On such a broker the test is skipped, saying why. Passed on a Mosquitto 2.0.20 built from
 * source (RELIABILITY.md, "Several gateways").
 *
 * <p>No broker restart, unlike {@code TortureIT}: Mosquitto 2.0.x (2.0.20 included) does not write
 * shared subscriptions into its persistence file ({@code persist__subs_save} walks a topic's ordinary
 * subscribers only), so after a restart the group is empty until a gateway subscribes again and the
 * broker drops what devices publish meanwhile (PUBACK "no matching subscribers"): a broker fault, not
 * one OnShelf can make good (the first run here on 2.0.20 lost exactly the 1,200 sales published in
 * that window). Cycles of 45 s: a gateway's JVM restart took up to 24 s on this 2-core machine under
 * load, and every fault must still strike while the tills publish.
 */
@Timeout(480)
class SharedSubscriptionIT {

    @Test
    void twoGatewaysSharingOneKilledMidStreamLoseNoSaleAndCountNoneTwice() throws Exception {
        String version = MosquittoProcess.version();
        Assumptions.assumeFalse(version.matches("2\\.0\\.([0-9]|1[01])"), "Mosquitto " + version + " ("
            + MosquittoProcess.binary() + ") loses a resumed session's shared subscriptions (fixed in 2.0.12): "
            + "several gateways need 2.0.12+; run this test on one with " + MosquittoProcess.BINARY_VARIABLE
            + "=/path/to/mosquitto");
        // given the runnable jar, and two gateways in one shared group
        Path jar = Path.of("target", "onshelf.jar").toAbsolutePath();
        assertThat(jar).as("the runnable jar (mvn package builds it before the ITs)").exists();
        Path work = Files.createDirectories(Path.of("target", "shared-subscription-it"));

        // when 10,000 sales stream through two cycles of faults (appendfsync always: see TortureIT)
        TortureResult result = new Torture(jar, work, TortureOptions.of(2, 10_000).withAppendfsync("always")
            .withAckHorizonMillis(0).withGateways(2).withCycleSeconds(45).withoutBrokerRestart()).run();

        // then both gateways subscribed as members of the shared group and both received messages
        for (String log : new String[] {"gateway-1-1.log", "gateway-2-1.log"}) {
            assertThat(Files.readString(work.resolve(log))).as(log)
                .contains("$share/torture/onshelf/v1/stores/+/feed/+");
        }
        assertThat(result.received()).as("messages received per gateway (%s)", result).hasSize(2)
            .allSatisfy(n -> assertThat(n).isGreaterThan(result.messages() / 4));
        // and each gateway was killed -9 once, while the tills were publishing
        assertThat(result.faultNames())
            .containsExactly("gateway-2 kill -9", "redis kill -9", "gateway-1 kill -9", "redis kill -9");
        assertThat(result.faultsDuringStream()).as("every fault struck during the stream (%s)", result).isTrue();
        // and every book is exact
        assertThat(result.lost()).as("sales lost (%s)", result).isZero();
        assertThat(result.doubled()).as("sales doubled (%s)", result).isZero();
    }
}
