package dev.steward.frequency;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Builds test messages tersely. */
final class Messages {
  private Messages() {}

  static Message to(String contact, MessageKind kind, String category) {
    return to(contact, "acme", ZoneOffset.UTC, kind, category);
  }

  static Message to(
      String contact, String account, ZoneId zone, MessageKind kind, String category) {
    return Message.builder()
        .tenant(TenantId.of("t1"))
        .account(AccountId.of(account))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .recipientZone(zone)
        .kind(kind)
        .category(category)
        .source(Source.MARKETING)
        .priority(Priority.NORMAL)
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  static Message promo(String contact) {
    return to(contact, MessageKind.PROMOTIONAL, "offers");
  }
}
