package dev.onshelf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Store codes and device ids are checked by hand; this holds the check to the documented pattern. */
class IdsTest {
    private static final Pattern STORE = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Test
    void agreesWithThePatternOnEveryCharacterAndLength() {
        for (char c = 0; c < 0x3000; c++) {
            String one = String.valueOf(c);
            assertThat(Ids.valid(one, 32)).as("U+%04X", (int) c).isEqualTo(STORE.matcher(one).matches());
            String inside = "ab" + c + "9";
            assertThat(Ids.valid(inside, 64)).as("U+%04X inside", (int) c).isEqualTo(DEVICE.matcher(inside).matches());
        }
        for (int n = 0; n <= 70; n++) {
            String s = "x".repeat(n);
            assertThat(Ids.valid(s, 32)).as("length %d", n).isEqualTo(STORE.matcher(s).matches());
            assertThat(Ids.valid(s, 64)).as("length %d", n).isEqualTo(DEVICE.matcher(s).matches());
        }
        assertThat(Ids.valid(null, 32)).isFalse();
    }

    @Test
    void aBadStoreOrDeviceIsRefusedWithItsReason() {
        assertThatThrownBy(() -> new StoreId("s 1")).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.STORE_INVALID));
        assertThatThrownBy(() -> new DeviceId("mat/1")).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.DEVICE_INVALID));
        assertThat(new StoreId("S-1_a").value()).isEqualTo("S-1_a");
        assertThat(new DeviceId("x".repeat(64)).value()).hasSize(64);
    }
}
