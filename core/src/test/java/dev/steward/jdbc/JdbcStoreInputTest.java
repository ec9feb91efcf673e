package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InvalidCalendarException;
import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input to the JDBC stores fails with a message naming the field, and writes nothing. */
class JdbcStoreInputTest {
  private static final TestDatabase DB = TestDatabase.h2(JdbcStoreInputTest.class);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String TOO_LONG = "x".repeat(201);

  @BeforeEach
  void clear() {
    DB.clear();
  }

  private static Message message(Map<String, Object> data) {
    return Message.builder()
        .tenant(TenantId.of("t"))
        .account(AccountId.of("a"))
        .contact(ContactId.of("c"))
        .to("c@example.com")
        .kind(MessageKind.PROMOTIONAL)
        .category("offers")
        .source(Source.MARKETING)
        .personalisation(data)
        .createdAt(T0)
        .build();
  }

  @Test
  void aMessageWithUnstorablePersonalisationIsRefusedWhenBuilt() {
    // refused when built, so it can never reach a deferral and be lost there
    assertThatThrownBy(() -> message(Map.of("when", Instant.EPOCH)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("personalisation 'when' holds a java.time.Instant");
  }

  /** The entry refuses what no store can hold, so the store never sees it (see the contract). */
  @Test
  void calendarEntriesWithTooLongFieldsCannotBeBuilt() {
    CalendarStore calendar = JdbcCalendarStore.of(DB.dataSource());

    assertThatThrownBy(
            () ->
                CalendarEntry.of(
                    TenantId.of("t"),
                    TOO_LONG,
                    CalendarEntry.Type.COMMUNICATION,
                    CalendarEntry.Status.SENT,
                    AccountId.of("a"),
                    null,
                    "csm",
                    MessageKind.RELATIONSHIP,
                    "qbr",
                    Channel.CALL,
                    null,
                    T0))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageStartingWith("calendar entry id is 201 characters long");
    assertThatThrownBy(
            () ->
                CalendarEntry.of(
                    TenantId.of("t"),
                    "e-1",
                    CalendarEntry.Type.COMMUNICATION,
                    CalendarEntry.Status.SENT,
                    AccountId.of("a"),
                    null,
                    TOO_LONG,
                    MessageKind.RELATIONSHIP,
                    "qbr",
                    Channel.CALL,
                    null,
                    T0))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageStartingWith("calendar entry 'e-1' team is 201 characters long");
    assertThat(calendar.forAccount(TenantId.of("t"), AccountId.of("a"), Instant.MIN, Instant.MAX))
        .isEmpty();
  }

  @Test
  void aTooLongProviderMessageIdChangesNoOutcome() {
    DeliveryLedger ledger = JdbcDeliveryLedger.of(DB.dataSource());
    Message m = message(Map.of());
    ledger.recordIntent(m, T0);

    assertThatThrownBy(
            () ->
                ledger.markOutcome(
                    m.tenant(),
                    m.idempotencyKey(),
                    DeliveryStatus.SENT,
                    "p".repeat(1001),
                    T0.plusSeconds(1)))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageStartingWith("providerMessageId is 1001 characters long; at most 1000 fit");
    assertThat(ledger.find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENDING);
  }

  @Test
  void anUnsupportedDatabaseIsNamed() {
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:dialect-check");
    assertThat(new Jdbc(h2).dialect()).isSameAs(JdbcDialect.H2);
    assertThat(new Jdbc(TestDatabase.postgres().dataSource()).dialect())
        .isSameAs(JdbcDialect.POSTGRESQL);
  }
}
