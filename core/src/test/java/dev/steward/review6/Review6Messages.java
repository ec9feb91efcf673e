package dev.steward.review6;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;

/** Test messages for the review6 tests. */
final class Review6Messages {
  private Review6Messages() {}

  static Message promo(String contact, String account) {
    return Message.builder()
        .tenant(TenantId.of("t1"))
        .account(AccountId.of(account))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("offers")
        .source(Source.MARKETING)
        .priority(Priority.NORMAL)
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }
}
