package dev.onshelf.core.codec;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Epoch milliseconds of an ISO-8601 instant, as {@link Instant#parse} reads it, with a fast path for
 * the form devices send ({@code 2026-11-22T10:15:30Z} or {@code 2026-11-22T10:15:30.123Z}, any number
 * of fraction digits up to 9). {@code Instant.parse} goes through the general formatter and was the
 * hottest frame of the gateway in a profile of the ingest benchmark. Anything the fast path does not
 * recognise exactly (offsets, leap seconds, odd years, bad fields) goes to {@code Instant.parse}, so
 * both accept and refuse the same texts with the same result ({@code IsoInstantTest} checks it).
 */
final class IsoInstant {
    private IsoInstant() {
    }

    /** @throws java.time.format.DateTimeParseException (a RuntimeException) when not an instant */
    static long parseMillis(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
            || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text).toEpochMilli();
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21;  // the digits between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9 || digits(text, 20, n - 1) < 0) {
                return Instant.parse(text).toEpochMilli();
            }
            millis = digits(text, 20, Math.min(23, n - 1));
            for (int i = Math.min(23, n - 1) - 20; i < 3; i++) {
                millis *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1)
            .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Instant.parse(text).toEpochMilli();
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal number in text[from, to), or -1 if any char is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
