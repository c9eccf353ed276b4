package dev.onshelf.simulators.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeverTest {
    @Test
    void keepsTheLabelAndTheVariablesInNameOrder() {
        Lever lever = new Lever(" batch off ", Map.of("ONSHELF_Y", "2", "ONSHELF_X", "1"));

        assertThat(lever.label()).isEqualTo("batch off");
        assertThat(lever.envText()).isEqualTo("ONSHELF_X=1 ONSHELF_Y=2");
        assertThat(lever.isSet()).isTrue();
        assertThat(Lever.NONE.isSet()).isFalse();
        assertThat(Lever.NONE.envText()).isEqualTo("(none)");
    }

    @Test
    void refusesTheBenchsOwnWiringAndNamesThatAreNotVariables() {
        assertThatThrownBy(() -> new Lever("x", Map.of("ONSHELF_REDIS_URL", "redis://elsewhere")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ONSHELF_REDIS_URL");
        assertThatThrownBy(() -> new Lever("x", Map.of("ONSHELF-X", "1")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an environment variable name");
    }
}
