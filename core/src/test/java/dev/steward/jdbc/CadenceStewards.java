package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.calendar.CalendarEntry;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Hostile review (rb3): application instances of Steward over one PostgreSQL database, each with
 * its own data source, runner owner and transport, all counting the messages that left into one
 * map, running a send, a day's wait and a send (two turns of a batch: the SENT records, the plan of
 * the next send, its cancel), and the checks of what every contact's run must have left.
 */
final class CadenceStewards {
  static final TenantId T = TenantId.of("rb3");
  static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(2);
  static final JourneyDefinition CADENCE =
      JourneyDefinition.builder("cadence", 1)
          .reEntry(ReEntry.always())
          .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", "w0"))
          .step(new Step.Wait("w0", Duration.ofDays(1), Optional.of("s1")))
          .step(Step.Send.of("s1", "tpl-1", MessageKind.EDUCATIONAL, "news", null))
          .build();

  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().backoffBase(Duration.ZERO).build();

  final SettableClock clock = SettableClock.of(T0);

  /** Each message id that left, by how many times it left, over every instance. */
  final Map<String, AtomicInteger> left = new ConcurrentHashMap<>();

  /** An instance over {@code ds} whose runner claims {@code batch} items as {@code owner}. */
  Steward instance(DataSource ds, String owner, int batch) {
    return Steward.builder(clock)
        .stores(JdbcStores.of(ds, FAST)) // a dead instance's retries give up at once
        .transport(
            m -> {
              left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
              return dev.steward.delivery.SendResult.accepted("p-" + m.id());
            })
        .capPolicy(
            CapPolicy.builder()
                .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(7))))
                .build())
        .runner(r -> r.batchSize(batch).owner(owner).lease(LEASE))
        .journeys(j -> j.journey(CADENCE).defaultZone(ZoneOffset.UTC))
        .build();
  }

  /** Enrols {@code n} contacts (c0..) through {@code s}: their enrolment ids. */
  static List<String> enrol(Steward s, int n) {
    List<String> ids = new ArrayList<>();
    JourneyScheduler journeys = s.journeys().orElseThrow();
    for (int i = 0; i < n; i++) {
      journeys.putContact(NumberedContacts.profile(T, i, AccountId.of("a" + (i % 7))));
      ids.add(
          journeys
              .enrol(T, NumberedContacts.contact(i), CADENCE.id())
              .enrolment()
              .orElseThrow()
              .id());
    }
    return ids;
  }

  /**
   * Every run finished both sends exactly once: each message left at most once, each enrolment's
   * history has each step once, each message sent is counted once and its calendar entry is SENT,
   * each plan entry is CANCELLED. A send is UNKNOWN (sent or not, never sent again) only where
   * {@code unknownAllowed}: an instance died after its send group's messages went out and before
   * their outcomes were committed (the designed answer, as in JdbcJourneyCrashTest).
   */
  void assertEveryRunSentBothOnce(
      Steward reader, DataSource ds, List<String> ids, boolean unknownAllowed) {
    assertThat(left.values()).extracting(AtomicInteger::get).containsOnly(1);
    JdbcCalendarStore calendar = JdbcCalendarStore.of(ds);
    int[] sent = new int[2];
    for (String id : ids) {
      Enrolment e = reader.journeys().orElseThrow().enrolment(T, id).orElseThrow();
      assertThat(e.state().finished()).as(id).isTrue();
      List<HistoryEntry> history = reader.journeys().orElseThrow().history(T, id);
      assertThat(history)
          .extracting(HistoryEntry::step)
          .as(id)
          .containsExactly("s0", "s0", "w0", "s1");
      List<StepOutcome> sends = List.of(history.get(1).outcome(), history.get(3).outcome());
      assertThat(history.get(2).outcome()).isEqualTo(StepOutcome.WAITING);
      for (int k = 0; k < 2; k++) {
        // a send's message is named by the enrolment's seq before its change
        String message = "j-" + id + "-" + (history.get(2 * k + 1).seq() - 1);
        if (sends.get(k) == StepOutcome.SENT) {
          sent[k]++;
          assertThat(left.containsKey(message)).as("%s left", message).isTrue();
          assertThat(calendar.find(T, message).orElseThrow().status())
              .as(message)
              .isEqualTo(CalendarEntry.Status.SENT);
        } else {
          assertThat(unknownAllowed).as("%s of %s unexpected", sends.get(k), message).isTrue();
          assertThat(sends.get(k)).as(message).isEqualTo(StepOutcome.UNKNOWN);
        }
      }
      assertThat(calendar.find(T, "journey:" + id).orElseThrow().status())
          .as("plan of %s", id)
          .isEqualTo(CalendarEntry.Status.CANCELLED);
    }
    if (!unknownAllowed) {
      assertThat(left).as("messages that left").hasSize(2 * ids.size());
    }
    var funnel = reader.journeyAnalytics().funnel(T, CADENCE.id(), 1);
    assertThat(funnel.step("s0").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(sent[0]);
    assertThat(funnel.step("s1").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(sent[1]);
  }
}
