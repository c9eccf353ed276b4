package dev.onshelf.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Acks wait for the horizon, and a store that restarted meanwhile gets the message again. */
class DurabilityHorizonTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final DurabilityHorizon horizon = new DurabilityHorizon(3_000, now::get);
    private final List<String> done = new ArrayList<>();

    private DurabilityHorizon.Held message(String name) {
        return new DurabilityHorizon.Held() {
            @Override
            public void durable() {
                done.add("ack " + name);
            }

            @Override
            public void again() {
                done.add("again " + name);
            }
        };
    }

    @Test
    void aMessageIsAcknowledgedOnlyOnceTheHorizonHasPassedOnTheSameStore() {
        horizon.storeIs("run-a");
        horizon.applied(message("m1"), horizon.store());
        now.addAndGet(2_999);
        horizon.tick("run-a");
        assertThat(done).isEmpty();
        now.addAndGet(1);
        horizon.tick("run-a");
        assertThat(done).containsExactly("ack m1");
        assertThat(horizon.held()).isZero();
    }

    @Test
    void whatWasAppliedBeforeTheStoreRestartedIsAppliedAgainNotAcknowledged() {
        horizon.storeIs("run-a");
        horizon.applied(message("m1"), horizon.store());
        now.addAndGet(1_000);
        horizon.storeIs("run-b");  // Redis killed and back as a new process: m1 may be lost
        horizon.applied(message("m2"), horizon.store());
        now.addAndGet(5_000);
        assertThat(horizon.tick("run-b")).isEqualTo(1);
        assertThat(done).containsExactly("again m1", "ack m2");
    }

    @Test
    void nothingIsReleasedWhileTheStoreCannotBeAsked() {
        horizon.storeIs("run-a");
        horizon.applied(message("m1"), horizon.store());
        now.addAndGet(10_000);
        horizon.tick(null);
        assertThat(done).isEmpty();
        assertThat(horizon.held()).isEqualTo(1);
        horizon.tick("run-a");
        assertThat(done).containsExactly("ack m1");
    }

    @Test
    void anApplySentBeforeARestartIsAppliedAgainEvenWhenItsCompletionIsSeenAfter() {
        // given an apply sent while the store was run-a
        horizon.storeIs("run-a");
        String sentTo = horizon.store();
        // when Redis restarts and the watchdog sees run-b before the (slow) completion is handled
        horizon.storeIs("run-b");
        horizon.applied(message("m1"), sentTo);
        now.addAndGet(5_000);
        // then the message is applied again, not vouched for by the new store
        assertThat(horizon.tick("run-b")).isEqualTo(1);
        assertThat(done).containsExactly("again m1");
    }
}
