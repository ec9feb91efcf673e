package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmailEventBuilderTest {
  private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

  @Test
  void builtEventCarriesEverythingSetAndNothingElse() {
    EmailEvent e =
        EmailEvent.builder("ev-1", EmailEventType.BOUNCE, AT)
            .email("Ada@Example.com")
            .tenant(TenantId.of("t-1"))
            .message(MessageId.of("m-1"))
            .category("Receipts")
            .attribute("type", "bounce")
            .build();

    assertThat(e.eventId()).isEqualTo("ev-1");
    assertThat(e.type()).isEqualTo(EmailEventType.BOUNCE);
    assertThat(e.occurredAt()).isEqualTo(AT);
    assertThat(e.email()).contains(EmailAddress.of("Ada@Example.com"));
    assertThat(e.tenant()).contains(TenantId.of("t-1"));
    assertThat(e.messageId()).contains(MessageId.of("m-1"));
    assertThat(e.category()).as("normalised as a message's").contains("receipts");
    assertThat(e.attributes()).containsExactly(java.util.Map.entry("type", "bounce"));
    assertThat(e.contact()).isEmpty();
    assertThat(e.account()).isEmpty();
  }

  @Test
  void anEventNamingNeitherAddressNorContactIsRefusedWithItsId() {
    assertThatThrownBy(() -> EmailEvent.builder("ev-2", EmailEventType.OPEN, AT).build())
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("ev-2")
        .hasMessageContaining("neither an email nor a contact");
  }

  @Test
  void anAttributeWithoutAValueIsRefused() {
    EmailEvent.Builder b = EmailEvent.builder("ev-3", EmailEventType.OPEN, AT);
    assertThatThrownBy(() -> b.attribute("url", null))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("ev-3");
  }
}
