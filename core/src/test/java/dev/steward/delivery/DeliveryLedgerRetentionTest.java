package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Settled ledger records leave on a daily schedule once the retention has passed. */
class DeliveryLedgerRetentionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private static Message message(String id) {
    return Message.builder()
        .id(MessageId.of(id))
        .tenant(TenantId.of("tenant-1"))
        .account(AccountId.of("acme"))
        .contact(ContactId.of("c-1"))
        .to("c-1@example.com")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(T0)
        .build();
  }

  @Test
  void settledRecordsArePurgedDailyOnceOlderThanTheRetentionAndOpenOnesStay() {
    SettableClock clock = SettableClock.of(T0);
    InMemoryDeliveryLedger ledger = InMemoryDeliveryLedger.of();
    DeliveryLedgerRetention retention = DeliveryLedgerRetention.builder(ledger, clock).build();
    WorkStore work = InMemoryWorkStore.of(clock);
    ManualWorkDriver driver =
        ManualWorkDriver.of(retention.register(WorkRunner.builder(work, clock)).build(), clock);
    Message sent = message("m-sent");
    Message open = message("m-open");
    ledger.recordIntent(sent, T0);
    ledger.markOutcome(sent.tenant(), sent.idempotencyKey(), DeliveryStatus.SENT, "p-1", T0);
    ledger.recordIntent(open, T0);
    ledger.markOutcome(open.tenant(), open.idempotencyKey(), DeliveryStatus.UNKNOWN, null, T0);

    assertThat(retention.retention()).isEqualTo(DeliveryLedgerRetention.DEFAULT_RETENTION);
    assertThat(driver.runDue()).isEqualTo(1);
    driver.advance(Duration.ofDays(29));
    driver.advance(Duration.ofDays(1)); // exactly 30 days: not older than the retention yet
    assertThat(ledger.find(sent.tenant(), sent.idempotencyKey())).isPresent();

    driver.advance(Duration.ofDays(1));

    assertThat(ledger.find(sent.tenant(), sent.idempotencyKey())).isEmpty();
    assertThat(ledger.find(open.tenant(), open.idempotencyKey())).isPresent();
    assertThat(
            work.find(
                WorkKey.of(Recurring.SYSTEM_TENANT, DeliveryLedgerRetention.KIND, "recurring")))
        .get()
        .extracting(i -> i.dueAt())
        .isEqualTo(T0.plus(Duration.ofDays(32)));
  }

  @Test
  void aRetentionShorterThanLateProviderEventsIsRefused() {
    SettableClock clock = SettableClock.of(T0);
    assertThatThrownBy(
            () ->
                DeliveryLedgerRetention.builder(InMemoryDeliveryLedger.of(), clock)
                    .retention(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
  }
}
