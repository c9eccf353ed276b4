package dev.onshelf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Device ids, OnShelf's internal sources, and what a refused message's topic tells. */
class DeviceIdTest {

    @Test
    void internalSourcesAreOutsideTheDevicesAlphabet() {
        DeviceId handheld = DeviceId.internal("handheld");
        assertThat(handheld.value()).isEqualTo("~handheld");
        assertThat(handheld.isInternal()).isTrue();
        assertThat(new DeviceId("hh-0421").isInternal()).isFalse();
        // never from outside: a topic, an admin path or a registry file
        assertThatThrownBy(() -> DeviceId.parse("~handheld")).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.DEVICE_INVALID));
        assertThatThrownBy(() -> Topic.parse("onshelf/v1/stores/0421/feed/~handheld"))
            .isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.DEVICE_INVALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "~Handheld", "~a1", "~abcdefghijklmnopqrstu", "~~x", "a~b"})
    void onlyATildeAndLowerCaseLettersMakeAnInternalId(String value) {
        assertThatThrownBy(() -> new DeviceId(value)).isInstanceOf(ValidationException.class);
    }

    @Test
    void theStoreOfARefusedMessageIsToldFromItsTopicWhenItCanBe() {
        assertThat(Topic.storeOf("onshelf/v1/stores/0421/shelf/mat-07")).isEqualTo(new StoreId("0421"));
        assertThat(Topic.storeOf("onshelf/v1/stores/0421/nonsense/x/y")).isEqualTo(new StoreId("0421"));
        assertThat(Topic.storeOf("http:0421/~handheld")).isEqualTo(new StoreId("0421"));
        assertThat(Topic.storeOf("onshelf/v1/stores/bad store/shelf/m")).isNull();
        assertThat(Topic.storeOf("elsewhere/0421")).isNull();
        assertThat(Topic.storeOf(null)).isNull();
        assertThat(Topic.errors(new StoreId("0421"), new DeviceId("till-1")))
            .isEqualTo("onshelf/v1/stores/0421/devices/till-1/errors");
        assertThat(Topic.lenient("onshelf/v1/stores/0421/feed/till-1")).isNotNull();
        assertThat(Topic.lenient("onshelf/v1/stores/0421/devices/till-1/errors")).isNull();
    }
}
