package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * An open or click that arrives before the wait for it begins (a pause first) is remembered and
 * satisfies the wait when it begins; one of another message, or an open where a click is awaited,
 * does not.
 */
class EarlySignalTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /** intro, critical, a day's pause, then up to 3 days for {@code event} of critical. */
  private static JourneyDefinition nudge(String event) {
    return JourneyDefinition.builder("nudge", 1)
        .step(send("intro", "critical"))
        .step(send("critical", "pause"))
        .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("check")))
        .step(
            new Step.WaitForEvent(
                "check", event, Duration.ofDays(3), Optional.of("thanks"), Optional.of("fallback")))
        .step(send("thanks", null))
        .step(send("fallback", null))
        .build();
  }

  private static Message sent(JourneyKit kit, ContactId c, String template) {
    return kit.sentTo(c).stream()
        .filter(m -> m.templateId().equals(template))
        .findFirst()
        .orElseThrow();
  }

  private static void event(JourneyKit kit, String id, EmailEventType type, Message m) {
    kit.scheduler
        .emailEventListener()
        .onEvents(List.of(JourneyKit.event(id, type, m, kit.clock.instant())));
  }

  private static List<String> templates(JourneyKit kit, ContactId c) {
    return kit.sentTo(c).stream().map(Message::templateId).toList();
  }

  @Test
  void aClickDuringThePauseSatisfiesAWaitForTheClickWhenItBegins() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(nudge(Step.CLICKED)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    kit.driver.advance(Duration.ofHours(3));
    Message critical = sent(kit, c, "tpl-critical");
    Instant clickedAt = kit.clock.instant();
    event(kit, "c1", EmailEventType.CLICK, critical);
    event(kit, "c1-again", EmailEventType.CLICK, critical); // remembered once

    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(1));

    // thanks as soon as the wait begins, after the day's pause
    assertThat(templates(kit, c)).containsExactly("tpl-intro", "tpl-critical", "tpl-thanks");
    Enrolment e = kit.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.COMPLETED);
    List<HistoryEntry> history = kit.store.history(TENANT, e.id());
    assertThat(history)
        .filteredOn(h -> h.step().equals("check"))
        .extracting(HistoryEntry::outcome, HistoryEntry::at)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                StepOutcome.WAITING_FOR_EVENT, START.plus(Duration.ofDays(1))),
            org.assertj.core.groups.Tuple.tuple(StepOutcome.EVENT, START.plus(Duration.ofDays(1))));
    assertThat(history.get(history.size() - 2).detail())
        .isEqualTo("clicked at " + clickedAt + ", before the wait began");
  }

  @Test
  void anOpenWhereAClickIsAwaitedAndAnOpenOfAnotherMessageDoNotSatisfyTheWait() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(nudge(Step.CLICKED)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    kit.driver.advance(Duration.ofHours(3));
    event(kit, "o1", EmailEventType.OPEN, sent(kit, c, "tpl-critical"));
    event(kit, "c0", EmailEventType.CLICK, sent(kit, c, "tpl-intro"));

    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(1));

    assertThat(templates(kit, c)).containsExactly("tpl-intro", "tpl-critical", "tpl-fallback");
    assertThat(kit.outcomes(kit.only(c))).contains(StepOutcome.TIMED_OUT);
  }

  @Test
  void anOpenBeforeTheWaitIsRememberedOnTheJdbcStoreToo() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:early-signal;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds);
    JourneyKit kit =
        new JourneyKit(
            SettableClock.of(START),
            JdbcJourneyStore.of(ds),
            null,
            b -> b.journey(nudge(Step.OPENED)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    kit.driver.advance(Duration.ofHours(3));
    event(kit, "o1", EmailEventType.OPEN, sent(kit, c, "tpl-critical"));

    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(1));

    assertThat(templates(kit, c)).containsExactly("tpl-intro", "tpl-critical", "tpl-thanks");
    // finished, the enrolment keeps nothing remembered
    assertThat(kit.only(c).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.store.signals(TENANT, kit.only(c).id(), sent(kit, c, "tpl-critical").id()))
        .isEmpty();
  }

  @Test
  void anEventAtATimeNoStoreKeepsIsPassedOverWithoutFailingTheListener() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(nudge(Step.OPENED)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    Message critical = sent(kit, c, "tpl-critical");
    Instant beyond = dev.steward.model.StoreLimits.MAX_INSTANT.plusSeconds(1);

    assertThatCode(
            () ->
                kit.scheduler
                    .emailEventListener()
                    .onEvents(
                        List.of(JourneyKit.event("o1", EmailEventType.OPEN, critical, beyond))))
        .doesNotThrowAnyException();
    assertThat(kit.store.signals(TENANT, kit.only(c).id(), critical.id())).isEmpty();
  }
}
