package dev.onshelf.core.epcis;

import dev.onshelf.core.model.Gtin;
import dev.onshelf.core.model.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GS1 identifiers as EPCIS 2.0 writes them, turned into the GTIN OnShelf counts by. Classes (a
 * {@code quantityList}'s {@code epcClass}): {@code urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*}, an LGTIN
 * {@code urn:epc:class:lgtin:CompanyPrefix.ItemRef.Lot}, or a GS1 Digital Link {@code https://host/01/<gtin>}
 * (optionally {@code /10/<lot>}). Instances (an {@code epcList}'s EPCs): SGTIN {@code
 * urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial} or Digital Link {@code https://host/01/<gtin>/21/<serial>}.
 * In the URN forms the company prefix (6-12 digits) and the item reference with its indicator digit in
 * front make 13 digits; the GTIN is indicator + prefix + item reference + the check digit computed here.
 */
public final class EpcisIds {
    private static final Pattern IDPAT = Pattern.compile("urn:epc:idpat:sgtin:(\\d{6,12})\\.(\\d{1,7})\\.\\*");
    private static final Pattern LGTIN = Pattern.compile("urn:epc:class:lgtin:(\\d{6,12})\\.(\\d{1,7})\\.[^/]{1,20}");
    private static final Pattern SGTIN = Pattern.compile("urn:epc:id:sgtin:(\\d{6,12})\\.(\\d{1,7})\\.[^/]{1,20}");
    private static final Pattern LINK_CLASS = Pattern.compile("https?://[^/?#]+(?:/[^?#]*)?/01/(\\d{8,14})(?:/10/[^/?#]{1,20})?");
    private static final Pattern LINK_ITEM = Pattern.compile("https?://[^/?#]+(?:/[^?#]*)?/01/(\\d{8,14})/21/[^/?#]{1,20}");

    private EpcisIds() {
    }

    /** The GTIN of a class id; refused with {@code epcClass.not_gtin} or {@code gtin.invalid}. */
    public static Gtin ofClass(String id) {
        Matcher m = IDPAT.matcher(id);
        if (!m.matches()) {
            m = LGTIN.matcher(id);
        }
        if (m.matches()) {
            return fromUrn(m.group(1), m.group(2), id);
        }
        Matcher link = LINK_CLASS.matcher(id);
        if (link.matches()) {
            return digits(link.group(1), id);
        }
        throw new EpcisRefusal("epcis:epcClass.not_gtin", "epcClass " + clip(id) + " is not a GTIN class "
            + "(urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*, urn:epc:class:lgtin:..., or https://id.gs1.org/01/<gtin>)");
    }

    /** The GTIN of an instance (one unit); refused with {@code epc.not_sgtin} or {@code gtin.invalid}. */
    public static Gtin ofInstance(String epc) {
        Matcher m = SGTIN.matcher(epc);
        if (m.matches()) {
            return fromUrn(m.group(1), m.group(2), epc);
        }
        Matcher link = LINK_ITEM.matcher(epc);
        if (link.matches()) {
            return digits(link.group(1), epc);
        }
        throw new EpcisRefusal("epcis:epc.not_sgtin", "EPC " + clip(epc) + " is not an SGTIN "
            + "(urn:epc:id:sgtin:CompanyPrefix.ItemRef.Serial, or https://id.gs1.org/01/<gtin>/21/<serial>)");
    }

    private static Gtin fromUrn(String prefix, String itemRef, String id) {
        if (prefix.length() + itemRef.length() != 13) {
            throw new EpcisRefusal("epcis:epcClass.not_gtin", clip(id) + ": company prefix and item reference must "
                + "have 13 digits together, got " + (prefix.length() + itemRef.length()));
        }
        String body = itemRef.charAt(0) + prefix + itemRef.substring(1);
        return Gtin.parse(body + Gtin.checkDigit(body, 13));
    }

    private static Gtin digits(String gtin, String id) {
        try {
            return Gtin.parse(gtin);
        } catch (ValidationException e) {
            throw new EpcisRefusal("epcis:gtin.invalid", clip(id) + ": " + e.detail());
        }
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
