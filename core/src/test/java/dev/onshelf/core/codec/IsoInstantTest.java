package dev.onshelf.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The fast path reads exactly what Instant.parse reads, and refuses what it refuses. */
class IsoInstantTest {

    @Property(tries = 3000)
    void anyInstantWithAnyFractionReadsAsInstantParseReadsIt(
            @ForAll @LongRange(min = -62_000_000_000_000L, max = 253_000_000_000_000L) long millis,
            @ForAll @IntRange(min = 0, max = 999_999) int micros, @ForAll @IntRange(min = 0, max = 9) int digits) {
        Instant at = Instant.ofEpochMilli(millis).plusNanos(micros % 1000 * 1000L);
        String text = at.toString();  // 0, 3, 6 or 9 fraction digits
        if (digits > 0 && !text.contains(".")) {
            text = text.substring(0, text.length() - 1) + "." + "123456789".substring(0, digits) + "Z";
        }
        assertThat(IsoInstant.parseMillis(text)).as(text).isEqualTo(Instant.parse(text).toEpochMilli());
    }

    @Property(tries = 5000)
    void anyTextOfTheShapeIsAcceptedOrRefusedAsInstantParseDoes(@ForAll("nearlyInstants") String text) {
        Long expected;
        try {
            expected = Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            expected = null;
        }
        if (expected == null) {
            assertThatThrownBy(() -> IsoInstant.parseMillis(text)).as(text).isInstanceOf(DateTimeParseException.class);
        } else {
            assertThat(IsoInstant.parseMillis(text)).as(text).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<String> nearlyInstants() {
        Arbitrary<String> year = Arbitraries.strings().withChars("0123456789").ofLength(4);
        Arbitrary<String> two = Arbitraries.strings().withChars("0123456789").ofLength(2);
        Arbitrary<String> fraction = Arbitraries.strings().withChars("0123456789x").ofMinLength(0).ofMaxLength(11)
            .map(f -> f.isEmpty() ? "" : "." + f);
        Arbitrary<String> zone = Arbitraries.of("Z", "Z", "Z", "z", "+01:00", "");
        return net.jqwik.api.Combinators.combine(year, two, two, two, two, two, fraction, zone)
            .as((y, mo, d, h, mi, s, f, z) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + f + z);
    }

    @Test
    void theFormsDevicesSendAndTheOddOnes() {
        assertThat(IsoInstant.parseMillis("2026-11-22T10:15:30Z")).isEqualTo(Instant.parse("2026-11-22T10:15:30Z")
            .toEpochMilli());
        assertThat(IsoInstant.parseMillis("2026-11-22T10:15:30.123Z"))
            .isEqualTo(Instant.parse("2026-11-22T10:15:30Z").toEpochMilli() + 123);
        assertThat(IsoInstant.parseMillis("2024-02-29T00:00:00.5Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00.5Z")
            .toEpochMilli());
        assertThat(IsoInstant.parseMillis("2026-11-22T10:15:30+01:00"))
            .isEqualTo(Instant.parse("2026-11-22T10:15:30+01:00").toEpochMilli());
        assertThatThrownBy(() -> IsoInstant.parseMillis("2023-02-29T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstant.parseMillis("2026-13-01T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
    }
}
