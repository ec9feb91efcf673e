package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The batch handler of steps against the single one: a few hundred enrolments over several journeys
 * with caps, exits, messages held by the caps, A/B variants, task steps and waits for events,
 * driven alike through the front door, give the same histories, sends and analytics. Run on every
 * kind of {@link Stores}.
 */
public abstract class StepBatchDifferentialContract {
  static final TenantId ACME = TenantId.of("acme");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  static final int CONTACTS = 240;

  /**
   * How many contacts a drive enrols; {@link #CONTACTS} unless a slow store (a fresh PostgreSQL
   * database per drive) takes fewer, enough still to fill a batch with every kind of step.
   */
  protected int contacts() {
    return CONTACTS;
  }

  /** Sends with A/B variants, a wait for the open (held while the caps defer), a task. */
  static final JourneyDefinition ONBOARD =
      JourneyDefinition.builder("onboard", 1)
          .exitWhen("churned", Condition.eq("churned", "yes"))
          .step(
              new Step.Send(
                  "hello",
                  List.of(
                      new Step.Variant("a", "tpl-hello-a", 1),
                      new Step.Variant("b", "tpl-hello-b", 2)),
                  MessageKind.EDUCATIONAL,
                  "onboarding",
                  null,
                  null,
                  Optional.of("opened?")))
          .step(
              new Step.WaitForEvent(
                  "opened?",
                  Step.OPENED,
                  Duration.ofDays(2),
                  Optional.of("thanks"),
                  Optional.of("call")))
          .step(Step.Send.of("thanks", "tpl-thanks", MessageKind.EDUCATIONAL, "onboarding", null))
          .step(
              new Step.HumanTask(
                  "call",
                  "check-in",
                  Optional.empty(),
                  Step.HumanTask.DEFAULT_OWNER_ATTRIBUTE,
                  Duration.ofDays(1),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of("nudge")))
          .step(Step.Send.of("nudge", "tpl-nudge", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  /** Chained sends, a deadline, a branch and an attribute update. */
  static final JourneyDefinition NURTURE =
      JourneyDefinition.builder("nurture", 1)
          .exitWhen("churned", Condition.eq("churned", "yes"))
          .step(Step.Send.of("n1", "tpl-n1", MessageKind.PROMOTIONAL, "nurture", "n2"))
          .step(
              Step.Send.of("n2", "tpl-n2", MessageKind.PROMOTIONAL, "nurture", "pause")
                  .withDeadline(Deadline.afterEntry(Duration.ofHours(30))))
          .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("which")))
          .step(
              new Step.Branch(
                  "which",
                  List.of(new Step.Case(Condition.eq("plan", "pro"), "mark")),
                  Optional.of("n3")))
          .step(new Step.UpdateAttribute("mark", "nurtured", Optional.of("yes"), Optional.of("n3")))
          .step(Step.Send.of("n3", "tpl-n3", MessageKind.PROMOTIONAL, "nurture", null))
          .build();

  /** A high-priority send that waits for a reply. */
  static final JourneyDefinition RENEWAL =
      JourneyDefinition.builder("renewal", 1)
          .step(
              new Step.Send(
                  "r1",
                  List.of(new Step.Variant("default", "tpl-r1", 1)),
                  MessageKind.TRANSACTIONAL,
                  "renewal",
                  null,
                  Priority.HIGH,
                  Optional.of("reply?")))
          .step(
              new Step.WaitForEvent(
                  "reply?",
                  Step.REPLIED,
                  Duration.ofDays(3),
                  Optional.of("r-thanks"),
                  Optional.of("r2")))
          .step(
              Step.Send.of("r-thanks", "tpl-r-thanks", MessageKind.TRANSACTIONAL, "renewal", null))
          .step(Step.Send.of("r2", "tpl-r2", MessageKind.TRANSACTIONAL, "renewal", null))
          .build();

  /** The stores under test, fresh. */
  protected abstract Stores stores(Clock clock);

  /** What a drive ends with. */
  record Outcome(
      Map<String, List<HistoryEntry>> histories,
      List<String> sends,
      Map<String, List<StepCount>> counts,
      Map<String, String> funnels,
      Map<String, List<dev.steward.calendar.CalendarEntry>> calendar) {}

  @Test
  void theBatchHandlerGivesTheHistoriesSendsAndAnalyticsOfTheSingleOne() {
    Outcome single = drive(false);
    Outcome batch = drive(true);

    // the drive does what it is meant to: sends, deferrals, exits, tasks, events
    List<StepOutcome> seen = new ArrayList<>();
    single.histories().values().forEach(h -> h.forEach(x -> seen.add(x.outcome())));
    assertThat(seen)
        .contains(
            StepOutcome.SENT,
            StepOutcome.DEFERRED,
            StepOutcome.EXITED,
            StepOutcome.TASK_CREATED,
            StepOutcome.EVENT,
            StepOutcome.TIMED_OUT,
            StepOutcome.BRANCHED,
            StepOutcome.UPDATED);
    assertThat(single.histories().values().stream().flatMap(List::stream))
        .anySatisfy(h -> assertThat(h.detail()).contains("is deferred until then"));
    assertThat(single.sends()).hasSizeGreaterThan(contacts());
    assertThat(single.sends()).anySatisfy(s -> assertThat(s).contains("tpl-hello-a"));
    assertThat(single.sends()).anySatisfy(s -> assertThat(s).contains("tpl-hello-b"));

    assertThat(batch.sends()).containsExactlyElementsOf(single.sends());
    assertThat(batch.histories().keySet()).isEqualTo(single.histories().keySet());
    for (String id : single.histories().keySet()) {
      assertThat(batch.histories().get(id)).as(id).isEqualTo(single.histories().get(id));
    }
    assertThat(batch.counts()).isEqualTo(single.counts());
    assertThat(batch.funnels()).isEqualTo(single.funnels());
    // pgstep: the calendar's entries too (the sent messages' records, written together by a
    // batch, and the enrolments' upcoming sends)
    assertThat(single.calendar().values().stream().flatMap(List::stream))
        .anySatisfy(
            e -> assertThat(e.status()).isEqualTo(dev.steward.calendar.CalendarEntry.Status.SENT))
        .anySatisfy(
            e ->
                assertThat(e.status())
                    .isEqualTo(dev.steward.calendar.CalendarEntry.Status.CANCELLED));
    assertThat(batch.calendar()).isEqualTo(single.calendar());
  }

  private Outcome drive(boolean batch) {
    SettableClock clock = SettableClock.of(T0);
    Stores stores = stores(clock);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(transport)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))))
                    .build())
            .runner(r -> r.batchSize(100))
            .journeys(
                j ->
                    j.journey(ONBOARD)
                        .journey(NURTURE)
                        .journey(RENEWAL)
                        .batchSteps(batch)
                        .defaultZone(ZoneOffset.UTC))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    List<ContactId> contacts = new ArrayList<>();
    for (int i = 0; i < contacts(); i++) {
      ContactId c = ContactId.of("c" + i);
      contacts.add(c);
      journeys.putContact(
          new ContactProfile(
              ACME,
              c,
              AccountId.of("acct-" + (i % 40)),
              Optional.of(EmailAddress.of("c" + i + "@example.com")),
              Optional.of(ZoneOffset.UTC),
              Map.of("plan", i % 3 == 0 ? "pro" : "basic", "csm", "csm-" + (i % 5))));
      if (i % 3 == 0) { // first in line for the contact's one send a day: onboard's hello waits
        journeys.enrolKeyed(ACME, c, "nurture", "k");
      }
      journeys.enrolKeyed(ACME, c, "onboard", "k");
      if (i % 7 == 0) {
        journeys.enrolKeyed(ACME, c, "renewal", "k");
      }
    }
    Set<String> opened = new java.util.HashSet<>();
    for (int round = 0; round < 24; round++) {
      steward.runDue();
      // engagement decided by the message alone, so both drives see the same
      List<EmailEvent> events = new ArrayList<>();
      for (Message m : transport.sent()) {
        if (Math.floorMod(m.id().value().hashCode(), 3) == 0 && opened.add(m.id().value())) {
          events.add(
              EmailEvent.builder("open-" + m.id().value(), EmailEventType.OPEN, clock.instant())
                  .email(m.to())
                  .message(m.id())
                  .tenant(m.tenant())
                  .contact(m.contact())
                  .build());
        }
      }
      steward.accept(events);
      if (round == 3) {
        for (int i = 0; i < contacts(); i += 11) {
          journeys.setAttribute(ACME, contacts.get(i), "churned", Optional.of("yes"));
        }
        for (int i = 0; i < contacts(); i += 14) {
          journeys.signal(ACME, contacts.get(i), Step.REPLIED);
        }
      }
      steward.runDue();
      clock.advance(Duration.ofHours(6));
    }

    Map<String, List<HistoryEntry>> histories = new TreeMap<>();
    for (ContactId c : contacts) {
      for (Enrolment e : stores.journeys().enrolments(ACME, c)) {
        histories.put(e.id(), stores.journeys().history(ACME, e.id()));
      }
    }
    List<String> sends = new ArrayList<>();
    for (Message m : transport.sent()) {
      sends.add(m.id() + " " + m.templateId() + " " + m.to() + " " + m.createdAt());
    }
    sends.sort(null);
    Map<String, List<StepCount>> counts = new HashMap<>();
    Map<String, String> funnels = new HashMap<>();
    for (JourneyDefinition d : List.of(ONBOARD, NURTURE, RENEWAL)) {
      List<StepCount> c = new ArrayList<>(stores.journeyAnalytics().counts(ACME, d.id(), 1));
      c.sort(java.util.Comparator.comparing(Object::toString));
      counts.put(d.id(), c);
      funnels.put(d.id(), steward.journeyAnalytics().funnel(ACME, d).toString());
    }
    Map<String, List<dev.steward.calendar.CalendarEntry>> calendar = new TreeMap<>();
    for (ContactId c : contacts) {
      List<dev.steward.calendar.CalendarEntry> entries =
          new ArrayList<>(
              stores
                  .calendar()
                  .forContact(
                      ACME, c, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(400))));
      entries.sort(java.util.Comparator.comparing(dev.steward.calendar.CalendarEntry::id));
      calendar.put(c.value(), entries);
    }
    return new Outcome(histories, sends, counts, funnels, calendar);
  }
}
