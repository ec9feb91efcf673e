package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DailyReservation;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * A pilot reservation whose commit was applied but whose acknowledgement was lost (the connection
 * died after the server committed) is run again by the store's retry: the repeat finds the first
 * run's reservation and adds no hold, so the dispatch's one release gives the message back; on H2
 * and PostgreSQL alike.
 */
class JdbcPilotLostCommitTest {
  private static final TenantId T = TenantId.of("t1");
  private static final LocalDate D = LocalDate.parse("2026-03-02");
  private static final MessageId M = MessageId.of("m-1");
  private static final String CONNECTION_LOST = "08006";

  private static void assertRepeatAddsNoHold(TestDatabase db) {
    db.clear();
    FlakyDataSource flaky = new FlakyDataSource(db.dataSource());
    JdbcPilotStore repeating = JdbcPilotStore.of(flaky);
    JdbcPilotStore other = JdbcPilotStore.of(db.dataSource());

    flaky.commitAcknowledgement().fail(1, CONNECTION_LOST);
    assertThat(repeating.reserve(T, D, M, 5)).isEqualTo(new DailyReservation(true, 0));
    assertThat(flaky.commitAcknowledgement().calls()).as("the transaction ran twice").isEqualTo(2);
    assertThat(other.count(T, D)).isEqualTo(1);
    // the dispatch's one release gives the message back: no hold was left behind by the repeat
    assertThat(other.release(T, D, M)).isTrue();
    assertThat(other.count(T, D)).isZero();

    // a second dispatch of a message already held, its commit acknowledgement lost: one more
    // hold, not two
    assertThat(other.reserve(T, D, M, 5)).isEqualTo(new DailyReservation(true, 0));
    flaky.commitAcknowledgement().fail(1, CONNECTION_LOST);
    assertThat(repeating.reserve(T, D, M, 5)).isEqualTo(new DailyReservation(true, 0));
    assertThat(repeating.release(T, D, M)).isFalse();
    assertThat(other.count(T, D)).isEqualTo(1);
    assertThat(other.release(T, D, M)).isTrue();
    assertThat(other.count(T, D)).isZero();

    // a refused reservation repeated stays refused and writes nothing
    for (int i = 0; i < 2; i++) {
      other.reserve(T, D, MessageId.of("full-" + i), 2);
    }
    flaky.commitAcknowledgement().fail(1, CONNECTION_LOST);
    assertThat(repeating.reserve(T, D, M, 2)).isEqualTo(new DailyReservation(false, 2));
    assertThat(other.count(T, D)).isEqualTo(2);

    // purging the day takes the reservations' tokens with it
    assertThat(other.purgeBefore(T, D.plusDays(1))).isEqualTo(1);
    assertThat(other.eraseTenant(T)).isFalse();
  }

  @Test
  void onH2() {
    assertRepeatAddsNoHold(TestDatabase.h2(JdbcPilotLostCommitTest.class));
  }

  @Test
  void onPostgres() {
    assertRepeatAddsNoHold(TestDatabase.postgres());
  }
}
