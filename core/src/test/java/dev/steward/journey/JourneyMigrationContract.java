package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Version migration ({@link JourneyScheduler#migrate}) over a {@link JourneyStore}; subclassed per
 * store (memory, H2, PostgreSQL) like {@link JourneyStoreContract}. A first scheduler knows only
 * version 1 and enrols; a second one (a deploy), over the same stores, knows both and migrates.
 */
public abstract class JourneyMigrationContract {
  protected static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /** A new, empty store. */
  protected abstract JourneyStore newStore();

  /** Another instance over the same data as the last {@link #newStore()}; itself when in memory. */
  protected abstract JourneyStore secondInstance();

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /** v1: welcome, wait 3 days, tips. */
  static JourneyDefinition v1() {
    return JourneyDefinition.builder("j", 1)
        .step(send("welcome", "w"))
        .step(new Step.Wait("w", Duration.ofDays(3), Optional.of("tips")))
        .step(send("tips", null))
        .build();
  }

  /** v2: welcome, wait 5 days, tips2; and a nudge without a wait before it. */
  static JourneyDefinition v2() {
    return JourneyDefinition.builder("j", 2)
        .step(send("welcome", "w"))
        .step(new Step.Wait("w", Duration.ofDays(5), Optional.of("tips2")))
        .step(send("tips2", "nudge"))
        .step(send("nudge", null))
        .build();
  }

  static final JourneyMigration SAME_WAIT =
      JourneyMigration.builder("j", 1, 2)
          .map("welcome", "welcome")
          .map("w", "w")
          .map("tips", "tips2")
          .build();

  private JourneyKit oldKit;
  private JourneyKit newKit;

  private void deploy(JourneyStore store) {
    oldKit = new JourneyKit(SettableClock.of(START), store, null, b -> b.journey(v1()));
    newKit = new JourneyKit(oldKit.clock, store, oldKit.work, b -> b.journey(v1()).journey(v2()));
  }

  /** Enrols contacts on v1 and runs them to the wait before tips. */
  private List<ContactId> waitingBeforeTips(int n) {
    List<ContactId> cs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ContactId c = oldKit.contact("c" + i, BERLIN, Map.of());
      assertThat(oldKit.enrol(c, "j").enrolled()).isTrue();
      cs.add(c);
    }
    oldKit.driver.runDue();
    for (ContactId c : cs) {
      Enrolment e = oldKit.only(c);
      assertThat(e.step()).isEqualTo("tips");
      assertThat(e.dueAt()).isEqualTo(START.plus(Duration.ofDays(3)));
    }
    return cs;
  }

  @Test
  void aWaitMappedToTheSameKindOfWaitKeepsItsDueTimeAndGoesOnInTheNewVersion() {
    deploy(newStore());
    ContactId c = waitingBeforeTips(1).get(0);
    String id = oldKit.only(c).id();

    MigrationReport r = newKit.scheduler.migrate(TENANT, SAME_WAIT);

    assertThat(r.moved()).containsExactly(id);
    assertThat(r.skipped()).isEmpty();
    Enrolment e = newKit.only(c);
    assertThat(e.version()).isEqualTo(2);
    assertThat(e.step()).isEqualTo("tips2");
    assertThat(e.state()).isEqualTo(EnrolmentState.ACTIVE);
    assertThat(e.dueAt()).isEqualTo(START.plus(Duration.ofDays(3)));
    HistoryEntry last = newKit.store.history(TENANT, id).get(e.seq());
    assertThat(last.outcome()).isEqualTo(StepOutcome.MIGRATED);
    assertThat(last.detail()).contains("j v1->v2").contains("'tips' to 'tips2'");

    newKit.runUntil(START.plus(Duration.ofDays(4)), Duration.ofHours(1));
    assertThat(oldKit.sends()).containsExactly("c0 tpl-welcome 2026-03-02T09:00:00Z");
    assertThat(newKit.sends())
        .containsExactly("c0 tpl-tips2 2026-03-05T09:00:00Z", "c0 tpl-nudge 2026-03-05T09:00:00Z");
    assertThat(newKit.only(c).state()).isEqualTo(EnrolmentState.COMPLETED);
    // a second call finds nothing left on v1
    assertThat(newKit.scheduler.migrate(TENANT, SAME_WAIT).moved()).isEmpty();
  }

  @Test
  void aWaitMappedToAnotherKindOfStepMakesTheNewStepDueNow() {
    deploy(newStore());
    ContactId c = waitingBeforeTips(1).get(0);
    JourneyMigration m =
        JourneyMigration.builder("j", 1, 2)
            .map("welcome", "welcome")
            .map("w", "tips2") // the wait is gone from where the enrolment stands
            .map("tips", "nudge")
            .build();
    oldKit.clock.advance(Duration.ofHours(1));

    assertThat(newKit.scheduler.migrate(TENANT, m).moved()).hasSize(1);
    Enrolment e = newKit.only(c);
    assertThat(e.step()).isEqualTo("nudge");
    assertThat(e.dueAt()).isEqualTo(START.plus(Duration.ofHours(1)));
    newKit.driver.runDue();
    assertThat(newKit.sends()).containsExactly("c0 tpl-nudge 2026-03-02T10:00:00Z");
  }

  @Test
  void aWaitForAnEventStaysWaitingWithItsTimeout() {
    JourneyStore store = newStore();
    JourneyDefinition e1 =
        JourneyDefinition.builder("ev", 1)
            .step(send("hello", "open"))
            .step(
                new Step.WaitForEvent(
                    "open", "opened", Duration.ofDays(2), Optional.of("yes"), Optional.of("no")))
            .step(send("yes", null))
            .step(send("no", null))
            .build();
    JourneyDefinition e2 =
        JourneyDefinition.builder("ev", 2)
            .step(send("hello", "open2"))
            .step(
                new Step.WaitForEvent(
                    "open2", "opened", Duration.ofDays(4), Optional.of("yes"), Optional.of("no2")))
            .step(send("yes", null))
            .step(send("no2", null))
            .build();
    JourneyKit before = new JourneyKit(SettableClock.of(START), store, null, b -> b.journey(e1));
    JourneyKit after =
        new JourneyKit(before.clock, store, before.work, b -> b.journey(e1).journey(e2));
    ContactId c = before.contact("ann", BERLIN, Map.of());
    before.enrol(c, "ev");
    before.driver.runDue();
    assertThat(before.only(c).state()).isEqualTo(EnrolmentState.WAITING);

    MigrationReport r =
        after.scheduler.migrate(
            TENANT,
            JourneyMigration.builder("ev", 1, 2)
                .map("hello", "hello")
                .map("open", "open2")
                .map("yes", "yes")
                .map("no", "no2")
                .build());

    assertThat(r.moved()).hasSize(1);
    Enrolment e = after.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.WAITING);
    assertThat(e.step()).isEqualTo("open2");
    assertThat(e.dueAt()).isEqualTo(START.plus(Duration.ofDays(2)));
    after.runUntil(START.plus(Duration.ofDays(2)), Duration.ofHours(1));
    assertThat(before.sends()).containsExactly("ann tpl-hello 2026-03-02T09:00:00Z");
    assertThat(after.sends()).containsExactly("ann tpl-no2 2026-03-04T09:00:00Z");
  }

  @Test
  void anEnrolmentDueNowIsSkippedUntouchedAndMovesOnALaterCall() {
    deploy(newStore());
    ContactId c = oldKit.contact("ann", BERLIN, Map.of());
    oldKit.enrol(c, "j"); // due now: a runner may be running it

    MigrationReport r = newKit.scheduler.migrate(TENANT, SAME_WAIT);

    Enrolment e = oldKit.only(c);
    assertThat(r.moved()).isEmpty();
    assertThat(r.skipped()).containsOnlyKeys(e.id());
    assertThat(r.skipped().get(e.id())).contains("may be under way");
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.seq()).isZero();

    oldKit.driver.runDue();
    assertThat(newKit.scheduler.migrate(TENANT, SAME_WAIT).moved()).containsExactly(e.id());
  }

  @Test
  void twoInstancesMigratingAtOnceMoveEachEnrolmentOnce() {
    deploy(newStore());
    List<ContactId> cs = waitingBeforeTips(30);
    JourneyKit other =
        new JourneyKit(
            oldKit.clock, secondInstance(), oldKit.work, b -> b.journey(v1()).journey(v2()));
    JourneyKit[] kits = {newKit, other};

    List<MigrationReport> reports =
        Concurrently.run(2, i -> kits[i].scheduler.migrate(TENANT, SAME_WAIT));

    Set<String> moved = new HashSet<>();
    int count = 0;
    for (MigrationReport r : reports) {
      moved.addAll(r.moved());
      count += r.moved().size();
      assertThat(r.skipped().values()).allMatch(s -> s.contains("already on version 2"));
    }
    assertThat(count).isEqualTo(30);
    assertThat(moved).hasSize(30);
    for (ContactId c : cs) {
      Enrolment e = newKit.only(c);
      assertThat(e.version()).isEqualTo(2);
      assertThat(newKit.outcomes(e)).filteredOn(o -> o == StepOutcome.MIGRATED).hasSize(1);
    }
  }

  @Test
  void aMigrationDuringTheEnrolmentsOwnRunLeavesItAndNothingIsSentTwice() {
    JourneyStore store = newStore();
    AtomicReference<JourneyKit> migrating = new AtomicReference<>();
    AtomicReference<MigrationReport> during = new AtomicReference<>();
    JourneyKit[] self = new JourneyKit[1];
    JourneyKit running =
        new JourneyKit(
            SettableClock.of(START),
            store,
            null,
            b ->
                b.journey(v1())
                    .sender(
                        m -> {
                          // another instance migrates while this run sends, before it moves on
                          if (migrating.get() != null && during.get() == null) {
                            during.set(migrating.get().scheduler.migrate(TENANT, SAME_WAIT));
                          }
                          return self[0].dispatcher.dispatch(m);
                        }));
    self[0] = running;
    migrating.set(
        new JourneyKit(
            running.clock, secondInstance(), running.work, b -> b.journey(v1()).journey(v2())));
    ContactId c = running.contact("ann", BERLIN, Map.of());
    running.enrol(c, "j");
    running.driver.runDue();

    Enrolment e = running.only(c);
    assertThat(during.get().moved()).isEmpty();
    assertThat(during.get().skipped()).containsKey(e.id());
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.step()).isEqualTo("tips");
    assertThat(running.sends()).containsExactly("ann tpl-welcome 2026-03-02T09:00:00Z");

    // once the run is over it moves, and every step sends once
    assertThat(migrating.get().scheduler.migrate(TENANT, SAME_WAIT).moved())
        .containsExactly(e.id());
    migrating.get().runUntil(START.plus(Duration.ofDays(3)), Duration.ofHours(1));
    assertThat(running.sends()).containsExactly("ann tpl-welcome 2026-03-02T09:00:00Z");
    assertThat(migrating.get().sends())
        .containsExactly(
            "ann tpl-tips2 2026-03-05T09:00:00Z", "ann tpl-nudge 2026-03-05T09:00:00Z");
  }
}
