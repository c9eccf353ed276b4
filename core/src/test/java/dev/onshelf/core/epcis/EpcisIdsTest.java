package dev.onshelf.core.epcis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EpcisIdsTest {

    @ParameterizedTest
    @CsvSource({
        "urn:epc:idpat:sgtin:4006381.033393.*, 04006381333931",       // GTIN-13, 7-digit company prefix
        "urn:epc:idpat:sgtin:0012345.167890.*, 10012345678902",       // GTIN-14: indicator 1 goes in front
        "urn:epc:idpat:sgtin:003600.0029145.*, 00036000291452",       // GTIN-12, 6-digit prefix
        "urn:epc:class:lgtin:4006381.033393.LOT-42, 04006381333931",  // a lot of the GTIN
        "https://id.gs1.org/01/04006381333931, 04006381333931",        // GS1 Digital Link
        "https://example.com/shop/01/10012345678902/10/ABC, 10012345678902",
    })
    void aClassIdGivesItsGtinWithTheCheckDigitComputed(String id, String gtin) {
        assertThat(EpcisIds.ofClass(id).value()).isEqualTo(gtin);
    }

    @ParameterizedTest
    @CsvSource({
        "urn:epc:id:sgtin:4006381.033393.1001, 04006381333931",
        "urn:epc:id:sgtin:0012345.167890.X7-2, 10012345678902",
        "https://id.gs1.org/01/04006381333931/21/ser-9, 04006381333931",
    })
    void anSgtinGivesItsGtin(String epc, String gtin) {
        assertThat(EpcisIds.ofInstance(epc).value()).isEqualTo(gtin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:epc:idpat:sscc:4006381.0123456789", "urn:epc:idpat:sgtin:4006381.033393.1001",
        "4006381333931", "urn:epc:class:grai:4006381.12345", "https://id.gs1.org/00/340063810000000001"})
    void otherClassIdsAreNotGtins(String id) {
        assertThatThrownBy(() -> EpcisIds.ofClass(id)).isInstanceOfSatisfying(EpcisRefusal.class,
            r -> assertThat(r.code()).isEqualTo("epcis:epcClass.not_gtin"));
    }

    @Test
    void aPrefixAndItemReferenceNotMakingThirteenDigitsIsRefused() {
        assertThatThrownBy(() -> EpcisIds.ofClass("urn:epc:idpat:sgtin:4006381.33393.*"))
            .isInstanceOfSatisfying(EpcisRefusal.class, r -> assertThat(r.detail()).contains("13 digits"));
    }

    @Test
    void aDigitalLinkWithAWrongCheckDigitIsAnInvalidGtin() {
        assertThatThrownBy(() -> EpcisIds.ofClass("https://id.gs1.org/01/04006381333932"))
            .isInstanceOfSatisfying(EpcisRefusal.class, r -> {
                assertThat(r.code()).isEqualTo("epcis:gtin.invalid");
                assertThat(r.detail()).contains("expected 1");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:epc:id:sscc:4006381.0123456789", "urn:epc:idpat:sgtin:4006381.033393.*",
        "https://id.gs1.org/01/04006381333931", "urn:epc:id:sgtin:4006381.033393."})
    void onlyAnSgtinIsOneUnit(String epc) {
        assertThatThrownBy(() -> EpcisIds.ofInstance(epc)).isInstanceOfSatisfying(EpcisRefusal.class,
            r -> assertThat(r.code()).isEqualTo("epcis:epc.not_sgtin"));
    }
}
