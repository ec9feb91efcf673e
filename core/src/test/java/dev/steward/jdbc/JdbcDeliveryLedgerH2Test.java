package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryLedgerContract;
import dev.steward.delivery.DeliveryStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The DeliveryLedger contract against JdbcDeliveryLedger on an in-memory H2 database. */
class JdbcDeliveryLedgerH2Test extends DeliveryLedgerContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcDeliveryLedgerH2Test.class);
  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().backoffBase(Duration.ZERO).build();

  @Override
  protected DeliveryLedger newStore() {
    DB.clear();
    return JdbcDeliveryLedger.of(DB.dataSource());
  }

  @Override
  protected DeliveryLedger secondInstance() {
    return JdbcDeliveryLedger.of(DB.dataSource());
  }

  @Test
  void aLockTimeOutIsRetriedAndTheOutcomeMovesOnce() {
    FlakyDataSource flaky = new FlakyDataSource(DB.dataSource());
    DeliveryLedger ledger = JdbcDeliveryLedger.of(flaky, FAST);
    ledger.recordIntent(message("m-1", "k-1"), T0);
    flaky.statement().fail(2, "HYT00");

    assertThat(
            ledger.markOutcome(
                dev.steward.model.TenantId.of("tenant-1"), "k-1", DeliveryStatus.SENT, "sg-1", T0))
        .isTrue();
    assertThat(flaky.statement().calls()).isEqualTo(3);
  }

  @Test
  void anIntentWhoseConnectionWasLostIsNotRecordedTwiceButReportedAsUnknown() {
    FlakyDataSource flaky = new FlakyDataSource(DB.dataSource());
    DeliveryLedger ledger = JdbcDeliveryLedger.of(flaky, FAST);
    ledger.find(
        dev.steward.model.TenantId.of("tenant-1"),
        "warm-up"); // the dialect is detected before the fault
    flaky.statement().fail(1, "08006");

    assertThatThrownBy(() -> ledger.recordIntent(message("m-1", "k-1"), T0))
        .isInstanceOf(StoreOutcomeUnknownException.class);
    assertThat(flaky.statement().calls()).isEqualTo(1);
    // a read is safe to repeat, so it rides out the same fault
    flaky.statement().fail(1, "08006");
    assertThat(ledger.find(dev.steward.model.TenantId.of("tenant-1"), "k-1")).isEmpty();
  }
}
