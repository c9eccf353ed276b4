package dev.onshelf.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up warning names what can lose acknowledged events, and stays quiet when nothing can. */
class DurabilityAdviceTest {

    @Test
    void exactSettingsGiveNoWarning() {
        assertThat(DurabilityAdvice.of("yes", "always", 0)).isEmpty();
        assertThat(DurabilityAdvice.of("yes", "everysec", 3_000)).isEmpty();
        assertThat(DurabilityAdvice.of(null, null, 0)).as("Redis would not say").isEmpty();
    }

    @Test
    void everysecWithoutTheHorizonIsWarnedWithWhatToSet() {
        assertThat(DurabilityAdvice.of("yes", "everysec", 0)).hasValueSatisfying(w -> assertThat(w)
            .contains("appendfsync everysec").contains("ONSHELF_MQTT_ACK_HORIZON_MS=3000").contains("always"));
        assertThat(DurabilityAdvice.of("yes", "everysec", 1_000)).isPresent();
    }

    @Test
    void noAppendOnlyFileOrNoFsyncIsWarned() {
        assertThat(DurabilityAdvice.of("no", "everysec", 3_000)).hasValueSatisfying(w -> assertThat(w)
            .contains("appendonly no"));
        assertThat(DurabilityAdvice.of("yes", "no", 3_000)).hasValueSatisfying(w -> assertThat(w)
            .contains("appendfsync no"));
    }
}
