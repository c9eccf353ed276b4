package dev.onshelf.core.model;

/** The shape of store codes and device ids, checked by hand: they are made for every event, a regex costs. */
final class Ids {
    private Ids() {
    }

    /** {@code [A-Za-z0-9_-]{1,max}}. */
    static boolean valid(String value, int max) {
        if (value == null || value.isEmpty() || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
