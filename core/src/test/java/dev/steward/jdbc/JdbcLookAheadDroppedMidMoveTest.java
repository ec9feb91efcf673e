package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DeferredMessage;
import dev.steward.delivery.Dispatcher;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.Priority;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An instance dies inside its look-ahead move on a real database: its transaction has locked the
 * waiting message's row and is writing when the instance goes. The database undoes the whole move
 * (the waiting message is not moved without the message that took its place), the row is free for
 * the next instance, and every message still goes out once, in priority order.
 */
class JdbcLookAheadDroppedMidMoveTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant SLOT = T0.plus(Duration.ofDays(7));

  private final SettableClock clock = SettableClock.of(T0);
  private final RecordingTransport transport = RecordingTransport.of();

  /** The instance died: what its thread was doing stops here. */
  private static final class Died extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Died() {
      super("instance died mid-move");
    }
  }

  private Dispatcher instance(DataSource shared, DataSource works) {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(shared), clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    return Dispatcher.builder(transport, clock)
        .gate(FrequencyGate.of(limiter))
        .workStore(JdbcWorkStore.of(works))
        .ledger(JdbcDeliveryLedger.of(shared))
        .build();
  }

  private static Message message(String id, Priority p) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).priority(p).build();
  }

  @Test
  void onPostgres() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    dropMidMove(db.dataSource(), "INSERT INTO " + JdbcWorkStore.TABLE);
  }

  @Test
  void onH2() {
    TestDatabase db = TestDatabase.h2(JdbcLookAheadDroppedMidMoveTest.class);
    dropMidMove(db.dataSource(), "MERGE INTO " + JdbcWorkStore.TABLE);
  }

  private void dropMidMove(DataSource shared, String writePrefix) {
    Dispatcher healthy = instance(shared, shared);
    HookedDataSource dyingWorks = new HookedDataSource(shared);
    Dispatcher dying = instance(shared, dyingWorks);
    Message first = message("first", Priority.NORMAL);
    Message low = message("newsletter", Priority.LOW);
    Message high = message("renewal", Priority.HIGH);
    healthy.dispatch(first);
    healthy.dispatch(low);
    DeferredMessage before = healthy.deferred(low.tenant(), low.id()).orElseThrow();

    // the move has read and locked the waiting message's row; its first write never happens
    dyingWorks.before(
        writePrefix,
        () -> {
          throw new Died();
        });
    assertThatThrownBy(() -> dying.dispatch(high)).isInstanceOf(Died.class);

    assertThat(healthy.deferred(low.tenant(), low.id())).contains(before);
    assertThat(healthy.deferred(high.tenant(), high.id())).isEmpty();
    // the caller tries again on the other instance, which gets the row lock at once
    healthy.dispatch(high);
    assertThat(healthy.deferred(high.tenant(), high.id()).orElseThrow().dueAt()).isEqualTo(SLOT);
    DeferredMessage moved = healthy.deferred(low.tenant(), low.id()).orElseThrow();
    assertThat(moved.dueAt()).isEqualTo(SLOT.plusSeconds(1));
    assertThat(moved.displacedBy()).contains(high.id());

    ManualWorkDriver driver =
        ManualWorkDriver.of(
            healthy.registerWith(WorkRunner.builder(healthy.workStore(), clock)).build(), clock);
    driver.advanceTo(SLOT.plusSeconds(1));
    driver.advanceTo(SLOT.plus(Duration.ofDays(7)).plusSeconds(1));
    assertThat(transport.sent())
        .extracting(m -> m.id().value())
        .containsExactly("first", "renewal", "newsletter");
  }
}
