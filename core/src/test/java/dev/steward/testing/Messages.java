package dev.steward.testing;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;

/** Test fixtures for messages. */
public final class Messages {
  private Messages() {}

  /**
   * A promotional message to contact {@code contact} at account "acme", whose recipient lives in
   * UTC (said here, not assumed by the limiter).
   */
  public static Message.Builder promo(String contact) {
    return Message.builder()
        .tenant(TenantId.of("isv-tenant"))
        .account(AccountId.of("acme"))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("offers")
        .source(Source.MARKETING)
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"));
  }
}
