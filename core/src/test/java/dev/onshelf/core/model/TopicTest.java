package dev.onshelf.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    @Test
    void parsesTheThreeDeviceFamilies() {
        Topic t = Topic.parse("onshelf/v1/stores/0421/shelf/mat-07");
        assertThat(t.store().value()).isEqualTo("0421");
        assertThat(t.kind()).isEqualTo(TopicKind.SHELF);
        assertThat(t.device().value()).isEqualTo("mat-07");
        assertThat(t.render()).isEqualTo("onshelf/v1/stores/0421/shelf/mat-07");
        assertThat(Topic.parse("onshelf/v1/stores/0421/feed/till-3").kind()).isEqualTo(TopicKind.FEED);
        assertThat(Topic.parse("onshelf/v1/stores/0421/status/mat-07").kind()).isEqualTo(TopicKind.STATUS);
        assertThat(Topic.alerts(new StoreId("0421"))).isEqualTo("onshelf/v1/stores/0421/alerts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"onshelf/v2/stores/0421/shelf/m", "onshelf/v1/stores/0421/alerts",
        "onshelf/v1/stores/0421/shelf/m/extra", "onshelf/v1/stores/0421/other/m", "x"})
    void anythingElseIsAnUnknownTopic(String topic) {
        assertThatThrownBy(() -> Topic.parse(topic)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectReason.TOPIC_UNKNOWN));
    }

    @Test
    void aBadStoreCodeInTheTopicIsAnInvalidStore() {
        assertThatThrownBy(() -> Topic.parse("onshelf/v1/stores/04 21/shelf/m"))
            .isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectReason.STORE_INVALID));
    }
}
