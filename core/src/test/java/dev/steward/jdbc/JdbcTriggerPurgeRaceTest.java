package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.ContactEvent;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two instances purging old contact events at once count each event once: a purge answers what it
 * deleted, not what it selected, since the other may delete some of them between the two (bounds:
 * it answered the keys it had selected, so both counted the same events).
 */
class JdbcTriggerPurgeRaceTest {
  private static final TenantId T = TenantId.of("t");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

  static Stream<TestDatabase> databases() {
    return Stream.of(TestDatabase.h2(JdbcTriggerPurgeRaceTest.class), TestDatabase.postgres());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aPurgeCountsOnlyTheEventsItDeleted(TestDatabase db) {
    db.clear();
    JdbcTriggerStore other = JdbcTriggerStore.of(db.dataSource());
    for (int i = 0; i < 5; i++) {
      other.recordEvent(new ContactEvent(T, ANN, "e" + i, "login", T0.plusSeconds(i)));
    }
    HookedDataSource hooked = new HookedDataSource(db.dataSource());
    JdbcTriggerStore store = JdbcTriggerStore.of(hooked);
    int[] byOther = new int[1];
    // after this purge selected its keys and before it deletes them, the other takes three
    hooked.before(
        "DELETE FROM steward_journey_contact_event",
        () -> byOther[0] = other.purgeEventsBefore(T0.plusSeconds(3), 10));

    int mine = store.purgeEventsBefore(T0.plusSeconds(10), 10);

    assertThat(byOther[0]).isEqualTo(3);
    assertThat(mine).isEqualTo(2);
    assertThat(other.countEvents(T, ANN, "login", Instant.MIN, Instant.MAX)).isZero();
  }
}
