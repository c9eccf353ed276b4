package dev.onshelf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GtinTest {

    @ParameterizedTest
    @CsvSource({
        "4006381333931, 04006381333931",   // GTIN-13 (EAN-13)
        "96385074, 00000096385074",        // GTIN-8 (EAN-8)
        "036000291452, 00036000291452",    // GTIN-12 (UPC-A)
        "10012345678902, 10012345678902",  // GTIN-14
    })
    void normalisesEveryLengthToFourteenDigits(String raw, String normalised) {
        assertThat(Gtin.parse(raw).value()).isEqualTo(normalised);
    }

    @Test
    void rejectsAWrongCheckDigitAndSaysWhichWasExpected() {
        assertThatThrownBy(() -> Gtin.parse("4006381333932"))
            .isInstanceOfSatisfying(ValidationException.class, e -> {
                assertThat(e.reason()).isEqualTo(RejectReason.GTIN_INVALID);
                assertThat(e.detail()).contains("check digit is 2, expected 1");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "123", "1234567", "123456789", "12345678901", "400638133393a", "４００６３８１３３３９３１",
        "123456789012345", "-4006381333931"})
    void rejectsWrongLengthsAndNonDigits(String raw) {
        assertThatThrownBy(() -> Gtin.parse(raw))
            .isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.GTIN_INVALID));
    }

    @Test
    void aBodyGetsItsCheckDigit() {
        assertThat(Gtin.fromBody("0400638133393").value()).isEqualTo("04006381333931");
    }

    @Test
    void storeAndDeviceIdsAreValidated() {
        assertThat(new StoreId("0421").value()).isEqualTo("0421");
        assertThatThrownBy(() -> new StoreId("04 21")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new StoreId("x".repeat(33))).isInstanceOf(ValidationException.class);
        assertThat(new DeviceId("mat-07_a").value()).isEqualTo("mat-07_a");
        assertThatThrownBy(() -> new DeviceId("mat/07")).isInstanceOf(ValidationException.class);
    }
}
