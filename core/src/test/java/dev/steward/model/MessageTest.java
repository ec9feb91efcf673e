package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.Messages;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Test
  void defaultsIdempotencyKeyToTheIdAndNormalisesCategory() {
    Message m = Messages.promo("c1").category(" Product-Updates ").build();
    assertThat(m.idempotencyKey()).isEqualTo(m.id().value());
    assertThat(m.category()).isEqualTo("product-updates");
    assertThat(m.channel()).isEqualTo(Channel.EMAIL);
    assertThat(m.priority()).isEqualTo(Priority.NORMAL);
  }

  @Test
  void personalisationIsCopiedAndUnmodifiable() {
    Map<String, Object> data = new HashMap<>();
    data.put("name", "Jane");
    Message m = Messages.promo("c1").personalisation(data).build();
    data.put("name", "changed");
    assertThat(m.personalisation()).containsEntry("name", "Jane");
    assertThatThrownBy(() -> m.personalisation().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void namesTheMissingOrBadField() {
    assertThatThrownBy(() -> Messages.promo("c1").kind(null).build())
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("'kind'");
    assertThatThrownBy(() -> Messages.promo("c1").to((EmailAddress) null).build())
        .hasMessageContaining("no 'to' address");
    assertThatThrownBy(() -> Messages.promo("c1").category("offers!").build())
        .hasMessageContaining("category 'offers!'");
    assertThatThrownBy(() -> Messages.promo("c1").idempotencyKey(" ").build())
        .hasMessageContaining("idempotency key must not be blank");
  }

  @Test
  void aCategoryInNormalFormIsKeptAsItIsWithinTheLengthBoundAndOthersAreChecked() {
    String longest = "a".repeat(Ids.MAX_LENGTH);
    assertThat(Message.category(longest)).isSameAs(longest);
    assertThat(Message.category("news/weekly_v2.1-x")).isEqualTo("news/weekly_v2.1-x");
    assertThatThrownBy(() -> Message.category(longest + "a"))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("is 201 characters long");
    assertThatThrownBy(() -> Message.category(""))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("category must not be blank");
    assertThatThrownBy(() -> Message.category(null))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("category must not be null");
    assertThat(Message.category("News")).isEqualTo("news");
  }

  @Test
  void aNonEmailChannelNeedsNoAddress() {
    Message m = Messages.promo("c1").to((EmailAddress) null).channel(Channel.IN_APP).build();
    assertThat(m.to()).isNull();
  }

  @Test
  void eventTypesParseCaseInsensitivelyAndNameUnknownOnes() {
    assertThat(EmailEventType.parse("spam_report")).isEqualTo(EmailEventType.SPAM_REPORT);
    assertThatThrownBy(() -> EmailEventType.parse("opned")).hasMessageContaining("'opned'");
  }
}
