package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.ANA;
import static dev.steward.calendar.CalendarFixtures.BOB;
import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static dev.steward.calendar.CalendarFixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CommunicationCalendar#sync}: one SCHEDULED entry kept in line with a plan. */
class CommunicationCalendarSyncTest {
  private final CommunicationCalendar calendar =
      CommunicationCalendar.builder(
              InMemoryCalendarStore.of(), SettableClock.of(Instant.parse("2026-03-01T00:00:00Z")))
          .rule(ConflictRule.differentTeamsSameDay(ConflictRule.Scope.CONTACT))
          .build();

  @Test
  void writesThePlanWithoutChecksMovesItAndCancelsItWhenThePlanEnds() {
    // another team's send on the same day would refuse a scheduled entry; a synced one is a plan
    calendar.record(
        dev.steward.model.Message.builder()
            .tenant(TENANT)
            .account(GLOBEX)
            .contact(ANA)
            .to("ana@example.com")
            .kind(dev.steward.model.MessageKind.EDUCATIONAL)
            .category("tips")
            .source(dev.steward.model.Source.MARKETING)
            .createdAt(Instant.parse("2026-03-05T08:00:00Z"))
            .build(),
        CalendarEntry.Status.SENT,
        Instant.parse("2026-03-05T08:00:00Z"));
    AtomicReference<Optional<CalendarEntry>> plan =
        new AtomicReference<>(Optional.of(to("j:1", "csm", ANA, "2026-03-05T10:00:00Z")));

    assertThat(calendar.sync(TENANT, "j:1", GLOBEX, ANA, plan::get)).isEqualTo(plan.get());
    assertThat(calendar.find(TENANT, "j:1")).isEqualTo(plan.get());

    plan.set(Optional.of(to("j:1", "csm", ANA, "2026-03-09T10:00:00Z")));
    calendar.sync(TENANT, "j:1", GLOBEX, ANA, plan::get);
    assertThat(calendar.find(TENANT, "j:1").orElseThrow().at())
        .isEqualTo(Instant.parse("2026-03-09T10:00:00Z"));

    plan.set(Optional.empty());
    CalendarEntry cancelled = calendar.sync(TENANT, "j:1", GLOBEX, ANA, plan::get).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(CalendarEntry.Status.CANCELLED);
    assertThat(cancelled.at()).isEqualTo(Instant.parse("2026-03-09T10:00:00Z"));
    // nothing planned and nothing there: nothing written
    assertThat(calendar.sync(TENANT, "j:none", GLOBEX, ANA, Optional::empty)).isEmpty();
    assertThat(calendar.find(TENANT, "j:none")).isEmpty();
  }

  @Test
  void aSentEntryIsLeftAlone() {
    CalendarEntry planned = to("j:2", "csm", ANA, "2026-03-05T10:00:00Z");
    calendar.sync(TENANT, "j:2", GLOBEX, ANA, () -> Optional.of(planned));
    calendar.markSent(TENANT, "j:2", Instant.parse("2026-03-05T10:00:00Z"));

    calendar.sync(TENANT, "j:2", GLOBEX, ANA, Optional::empty);
    calendar.sync(
        TENANT,
        "j:2",
        GLOBEX,
        ANA,
        () -> Optional.of(to("j:2", "csm", ANA, "2026-04-01T10:00:00Z")));

    CalendarEntry e = calendar.find(TENANT, "j:2").orElseThrow();
    assertThat(e.status()).isEqualTo(CalendarEntry.Status.SENT);
    assertThat(e.at()).isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
  }

  @Test
  void aPlanOfAnotherIdOrContactIsRefusedAndWritesNothing() {
    assertThatThrownBy(
            () ->
                calendar.sync(
                    TENANT,
                    "j:3",
                    GLOBEX,
                    ANA,
                    () -> Optional.of(to("j:3", "csm", BOB, "2026-03-05T10:00:00Z"))))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("j:3");
    assertThatThrownBy(
            () ->
                calendar.sync(
                    TENANT,
                    "j:3",
                    GLOBEX,
                    ANA,
                    () -> Optional.of(to("other", "csm", ANA, "2026-03-05T10:00:00Z"))))
        .isInstanceOf(InvalidCalendarException.class);
    assertThatThrownBy(() -> calendar.sync(TENANT, "j:3", GLOBEX, ANA, null))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("plan");
    assertThatThrownBy(() -> calendar.sync(null, "j:3", GLOBEX, ANA, Optional::empty))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("tenant");
    assertThat(calendar.find(TENANT, "j:3")).isEmpty();
    assertThat(calendar.find(TENANT, "other")).isEmpty();
  }
}
