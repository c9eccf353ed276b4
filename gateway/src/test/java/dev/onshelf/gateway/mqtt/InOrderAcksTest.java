package dev.onshelf.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUBACKs in arrival order (MQTT 5 §4.6), proven without a broker. */
class InOrderAcksTest {
    private final List<Integer> sent = new ArrayList<>();
    private final InOrderAcks acks = new InOrderAcks((id, qos) -> sent.add(id));

    @Test
    void aMessageDoneEarlyWaitsForEveryOneReceivedBeforeIt() {
        // given three messages received in order
        InOrderAcks.Entry first = acks.arrived(11, 1);
        InOrderAcks.Entry second = acks.arrived(12, 1);
        InOrderAcks.Entry third = acks.arrived(13, 1);
        // when the last and the first are done
        acks.done(third);
        acks.done(first);
        // then only the first is acknowledged; the third waits for the second
        assertThat(sent).containsExactly(11);
        assertThat(acks.unacknowledged()).isEqualTo(2);
        acks.done(second);
        assertThat(sent).containsExactly(11, 12, 13);
        assertThat(acks.unacknowledged()).isZero();
    }

    @Test
    void aMessageNeverDoneHoldsBackEveryAckAfterIt() {
        acks.arrived(1, 1);
        for (int id = 2; id <= 100; id++) {
            acks.done(acks.arrived(id, 1));
        }
        assertThat(sent).isEmpty();
        assertThat(acks.unacknowledged()).isEqualTo(100);
    }

    @Test
    void qosZeroNeedsNoAckAndHoldsNothingBack() {
        InOrderAcks.Entry fireAndForget = acks.arrived(0, 0);
        acks.done(acks.arrived(5, 1));
        assertThat(sent).containsExactly(5);
        acks.done(fireAndForget);
        assertThat(sent).containsExactly(5);
    }
}
