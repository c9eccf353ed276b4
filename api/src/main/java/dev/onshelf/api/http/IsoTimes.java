package dev.onshelf.api.http;

import java.time.Instant;

/**
 * Epoch milliseconds as {@link Instant#toString()} writes them ({@code 2026-11-29T15:00:50.123Z}, no
 * fraction when it is zero), written by hand for the years 1970-9999: an availability answer carries up
 * to three instants, and {@code Instant.toString} (the general ISO formatter) was 6% of the API's
 * samples in the bench's profile. Other instants go to {@code Instant.toString}; {@code IsoTimesTest}
 * holds the two to the same text.
 */
final class IsoTimes {
    private static final long MAX_MILLIS = 253_402_300_799_999L;  // 9999-12-31T23:59:59.999Z

    private IsoTimes() {
    }

    static String format(long millis) {
        if (millis < 0 || millis > MAX_MILLIS) {
            return Instant.ofEpochMilli(millis).toString();
        }
        long days = millis / 86_400_000L;
        int ofDay = (int) (millis % 86_400_000L);
        // civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted)
        long z = days + 719_468;
        long era = z / 146_097;
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int ms = ofDay % 1_000;
        int seconds = ofDay / 1_000;
        char[] out = new char[ms == 0 ? 20 : 24];
        put(out, 0, year, 4);
        out[4] = '-';
        put(out, 5, month, 2);
        out[7] = '-';
        put(out, 8, day, 2);
        out[10] = 'T';
        put(out, 11, seconds / 3_600, 2);
        out[13] = ':';
        put(out, 14, seconds / 60 % 60, 2);
        out[16] = ':';
        put(out, 17, seconds % 60, 2);
        if (ms != 0) {
            out[19] = '.';
            put(out, 20, ms, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
