package dev.onshelf.core.model;

/**
 * A GS1 GTIN normalised to 14 digits. Accepts GTIN-8, -12, -13 and -14 (what handheld scanners
 * read) and rejects anything else, including a wrong check digit, with a specific reason.
 */
public record Gtin(String value) {

    public Gtin {
        if (value == null || value.length() != 14) {
            throw new IllegalArgumentException("a normalised GTIN has 14 digits");
        }
    }

    public static Gtin parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new ValidationException(RejectReason.GTIN_INVALID, "GTIN is missing");
        }
        int n = raw.length();
        if (n != 8 && n != 12 && n != 13 && n != 14) {
            throw new ValidationException(RejectReason.GTIN_INVALID,
                "GTIN must have 8, 12, 13 or 14 digits, got " + n + " characters");
        }
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                throw new ValidationException(RejectReason.GTIN_INVALID, "GTIN must contain digits only");
            }
        }
        int expected = checkDigit(raw, n - 1);
        int actual = raw.charAt(n - 1) - '0';
        if (expected != actual) {
            throw new ValidationException(RejectReason.GTIN_INVALID,
                "GTIN check digit is " + actual + ", expected " + expected);
        }
        return new Gtin("0".repeat(14 - n) + raw);
    }

    /** GS1 mod-10 check digit of the first {@code len} digits: weights 3,1,3,... from the right. */
    public static int checkDigit(CharSequence digits, int len) {
        int sum = 0;
        for (int i = 0; i < len; i++) {
            int d = digits.charAt(len - 1 - i) - '0';
            sum += (i % 2 == 0) ? d * 3 : d;
        }
        return (10 - sum % 10) % 10;
    }

    /** Builds a valid GTIN-14 from a 13-digit body (used by simulators and tests). */
    public static Gtin fromBody(String thirteenDigits) {
        return parse(thirteenDigits + checkDigit(thirteenDigits, 13));
    }

    @Override
    public String toString() {
        return value;
    }
}
