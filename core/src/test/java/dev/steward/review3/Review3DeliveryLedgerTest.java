package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.jdbc.JdbcDeliveryLedger;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Hostile review of the tenant-scoped delivery ledger's queries at their edges. */
class Review3DeliveryLedgerTest {
  private static final TenantId TENANT = TenantId.of("alpha");
  private static final AccountId ACCOUNT = AccountId.of("acct");

  private static Message message(String id) {
    return Message.builder()
        .id(MessageId.of(id))
        .tenant(TENANT)
        .account(ACCOUNT)
        .contact(ContactId.of("ada"))
        .to("ada@alpha.example")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(Instant.EPOCH)
        .build();
  }

  private static List<DeliveryRecord> everythingOfTheAccount(DeliveryLedger ledger) {
    return ledger.forAccount(TENANT, ACCOUNT, Instant.MIN, Instant.MAX, 10);
  }

  /**
   * {@code forAccount(tenant, account, Instant.MIN, Instant.MAX, n)} ("everything") misses a record
   * whose intent was written at the last storable instant on JDBC, while the in-memory ledger
   * returns it: {@code EpochNanos.bound} clamps the exclusive upper bound {@code Instant.MAX} to
   * {@code Long.MAX_VALUE}, the very value stored for {@code StoreLimits.MAX_INSTANT}, and {@code
   * created_at < Long.MAX_VALUE} excludes it. EpochNanos' Javadoc claims "no stored value lies
   * beyond" a clamped bound; for an exclusive bound one lies on it. The same clamp serves {@code
   * unsettled} and {@code purgeSettledBefore}.
   */
  @Test
  void everythingUpToInstantMaxMissesARecordAtTheLastStorableInstant() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review3-ledger-edges;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds);
    DeliveryLedger jdbc = JdbcDeliveryLedger.of(ds);
    DeliveryLedger memory = InMemoryDeliveryLedger.of();
    for (DeliveryLedger ledger : List.of(memory, jdbc)) {
      assertThat(ledger.recordIntent(message("m-last"), StoreLimits.MAX_INSTANT)).isTrue();
    }

    assertThat(everythingOfTheAccount(memory)).hasSize(1);
    assertThat(everythingOfTheAccount(jdbc))
        .as("the JDBC ledger answers as the in-memory one")
        .hasSize(1);
  }
}
