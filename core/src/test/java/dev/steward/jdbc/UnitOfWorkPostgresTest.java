package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.Steward;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.SendResult;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The unit of work a journey step's writes after its send run in on PostgreSQL ({@link
 * JdbcJourneyStore#together}, {@link UnitOfWork}): one commit for the JDBC stores on the same data
 * source, all or nothing, run again alone when it fails; and the delivery ledger's intent still
 * committed before the transport is called, with two instances over one database.
 */
class UnitOfWorkPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("uow");
  private static final ContactId ANN = ContactId.of("ann");
  private static final Instant T0 = Instant.parse("2026-11-28T04:00:00Z");
  private static final JourneyStepRef AT = new JourneyStepRef("j", 1, "first");

  private static ContactProfile profile(TenantId t, ContactId c) {
    return new ContactProfile(
        t,
        c,
        AccountId.of("acct"),
        Optional.of(EmailAddress.of(c.value() + "@example.com")),
        Optional.of(ZoneOffset.UTC),
        Map.of());
  }

  private static Enrolment enrolled(JdbcJourneyStore store, String id) {
    store.putContact(profile(T, ANN));
    Enrolment e =
        new Enrolment(
            T,
            id,
            ANN,
            "j",
            1,
            "first",
            0,
            EnrolmentState.ACTIVE,
            T0,
            T0,
            T0,
            Optional.empty(),
            Optional.empty());
    assertThat(store.enrol(e, ReEntry.onceEver(), 10).status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    return e;
  }

  private static Enrolment next(Enrolment e) {
    return new Enrolment(
        T,
        e.id(),
        ANN,
        "j",
        1,
        "first",
        e.seq() + 1,
        EnrolmentState.COMPLETED,
        T0,
        T0,
        T0.plusSeconds(1),
        Optional.empty(),
        Optional.empty());
  }

  private static HistoryEntry entry(Enrolment next) {
    return new HistoryEntry(next.seq(), "first", T0.plusSeconds(1), StepOutcome.SENT, "sent");
  }

  private static JourneyFact sent(String subject) {
    return new JourneyFact(T, subject, AT, JourneyMetric.SENT, Optional.empty(), T0);
  }

  /** What another connection, on a data source of its own, sees of the enrolment: its seq. */
  private static Optional<Integer> seqSeenElsewhere(String id) throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq FROM steward_journey_enrolment WHERE tenant_id = ? AND enrolment_id"
                    + " = ?")) {
      ps.setString(1, T.value());
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
      }
    }
  }

  private static long marksSeenElsewhere(String subject) throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM steward_journey_mark WHERE tenant_id = ? AND subject = ?")) {
      ps.setString(1, T.value());
      ps.setString(2, subject);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void theWritesOfAUnitAreSeenByNoOtherConnectionUntilItCommitsThemTogether() throws Exception {
    DB.clear();
    DataSource ds = DB.dataSource();
    JdbcJourneyStore journeys = JdbcJourneyStore.of(ds);
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    Enrolment e = enrolled(journeys, "e-commit");
    List<String> seenInside = new ArrayList<>();

    boolean advanced =
        journeys.together(
            () -> {
              assertThat(journeys.advance(next(e), entry(next(e)))).isTrue();
              assertThat(analytics.record(sent("e-commit-m"))).isTrue();
              // the unit reads its own writes; another connection sees neither yet
              seenInside.add("own seq " + journeys.find(T, "e-commit").orElseThrow().seq());
              try {
                seenInside.add("other seq " + seqSeenElsewhere("e-commit").orElseThrow());
                seenInside.add("other marks " + marksSeenElsewhere("e-commit-m"));
              } catch (SQLException x) {
                throw new IllegalStateException(x);
              }
              return true;
            });

    assertThat(advanced).isTrue();
    assertThat(seenInside).containsExactly("own seq 1", "other seq 0", "other marks 0");
    assertThat(seqSeenElsewhere("e-commit")).contains(1);
    assertThat(marksSeenElsewhere("e-commit-m")).isEqualTo(1);
    assertThat(journeys.history(T, "e-commit")).extracting(HistoryEntry::seq).containsExactly(0, 1);
  }

  @Test
  void aFailureInTheUnitRollsBackAllOfItAndTheWritesRunAgainEachAlone() throws Exception {
    DB.clear();
    DataSource ds = DB.dataSource();
    JdbcJourneyStore journeys = JdbcJourneyStore.of(ds);
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    Jdbc other = new Jdbc(ds);
    Enrolment e = enrolled(journeys, "e-fail");
    AtomicInteger attempts = new AtomicInteger();
    List<String> secondAttemptSaw = new ArrayList<>();

    boolean advanced =
        journeys.together(
            () -> {
              int n = attempts.incrementAndGet();
              if (n == 2) { // nothing of the first attempt was committed
                try {
                  secondAttemptSaw.add("seq " + seqSeenElsewhere("e-fail").orElseThrow());
                  secondAttemptSaw.add("marks " + marksSeenElsewhere("e-fail-m"));
                } catch (SQLException x) {
                  throw new IllegalStateException(x);
                }
              }
              boolean moved = journeys.advance(next(e), entry(next(e)));
              analytics.record(sent("e-fail-m"));
              if (n == 1) {
                // a store's call fails in the unit, and its caller goes on (as the journey's
                // hooks log and go on): the unit is spoilt, later calls fail without running
                assertThatThrownBy(
                        () ->
                            other.withConnection(
                                "a statement that fails",
                                c -> Jdbc.update(c, "UPDATE steward_no_such_table SET x = 1")))
                    .isInstanceOf(JdbcStoreException.class);
                assertThatThrownBy(() -> journeys.find(T, "e-fail"))
                    .isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("an earlier call of its unit of work failed");
              }
              return moved;
            });

    assertThat(attempts).hasValue(2);
    assertThat(secondAttemptSaw).containsExactly("seq 0", "marks 0");
    assertThat(advanced).isTrue();
    assertThat(journeys.find(T, "e-fail").orElseThrow().seq()).isEqualTo(1);
    assertThat(journeys.history(T, "e-fail")).extracting(HistoryEntry::seq).containsExactly(0, 1);
    assertThat(analytics.counts(T, "j", 1))
        .filteredOn(c -> c.metric() == JourneyMetric.SENT)
        .extracting(c -> c.count())
        .containsExactly(1L);
  }

  @Test
  void onH2TheWritesRunAsTheyComeEachCommittedAtOnce() throws Exception {
    TestDatabase h2 = TestDatabase.h2(UnitOfWorkPostgresTest.class);
    DataSource ds = h2.dataSource();
    JdbcJourneyStore journeys = JdbcJourneyStore.of(ds);
    Enrolment e = enrolled(journeys, "e-h2");
    List<Integer> seen = new ArrayList<>();
    journeys.together(
        () -> {
          assertThat(journeys.advance(next(e), entry(next(e)))).isTrue();
          seen.add(JdbcJourneyStore.of(h2.dataSource()).find(T, "e-h2").orElseThrow().seq());
          return true;
        });
    assertThat(seen).containsExactly(1);
  }

  static final JourneyDefinition TWO_SENDS =
      JourneyDefinition.builder("two-sends", 1)
          .step(Step.Send.of("s1", "tpl-1", MessageKind.EDUCATIONAL, "onboarding", "s2"))
          .step(Step.Send.of("s2", "tpl-2", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void twoInstancesSendEachStepOnceAndTheIntentIsCommittedBeforeTheTransportSeesIt()
      throws Exception {
    DB.clear();
    int contacts = 30;
    // the transport reads the ledger on a data source of its own: what another process would see
    JdbcDeliveryLedger elsewhere = JdbcDeliveryLedger.of(DB.dataSource());
    List<String> notDurable = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> sends = new ConcurrentHashMap<>();
    Function<Message, SendResult> respond =
        m -> {
          Optional<DeliveryRecord> r = elsewhere.find(m.tenant(), m.idempotencyKey());
          if (r.isEmpty() || r.get().status() != DeliveryStatus.SENDING) {
            notDurable.add(m.idempotencyKey() + " " + r.map(DeliveryRecord::status));
          }
          sends.computeIfAbsent(m.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
          return SendResult.accepted("p-" + m.id().value());
        };
    List<Steward> stewards = new ArrayList<>();
    for (String owner : List.of("a", "b")) {
      stewards.add(
          Steward.builder(Clock.systemUTC())
              .stores(JdbcStores.of(DB.dataSource()))
              .transport(RecordingTransport.of().respondWith(respond))
              .runner(r -> r.owner(owner).workers(4).pollInterval(Duration.ofMillis(20)))
              .journeys(j -> j.journey(TWO_SENDS))
              .build());
    }
    JourneyScheduler enroller = stewards.get(0).journeys().orElseThrow();
    for (int i = 0; i < contacts; i++) {
      ContactId c = ContactId.of("c-" + i);
      enroller.putContact(profile(T, c));
      assertThat(enroller.enrol(T, c, "two-sends").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    }
    JdbcJourneyStore store = JdbcJourneyStore.of(DB.dataSource());
    try {
      stewards.forEach(Steward::start);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!allFinished(store, contacts) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      stewards.forEach(Steward::close);
    }

    assertThat(notDurable).isEmpty();
    assertThat(sends).hasSize(2 * contacts);
    assertThat(sends.values().stream().map(AtomicInteger::get).collect(Collectors.toSet()))
        .containsExactly(1);
    for (int i = 0; i < contacts; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c-" + i)).get(0);
      assertThat(e.state()).isEqualTo(EnrolmentState.COMPLETED);
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT, StepOutcome.SENT);
    }
    assertThat(
            JdbcJourneyAnalyticsStore.of(DB.dataSource()).counts(T, "two-sends", 1).stream()
                .filter(c -> c.metric() == JourneyMetric.SENT)
                .mapToLong(c -> c.count())
                .sum())
        .isEqualTo(2L * contacts);
  }

  private static boolean allFinished(JdbcJourneyStore store, int contacts) {
    for (int i = 0; i < contacts; i++) {
      List<Enrolment> es = store.enrolments(T, ContactId.of("c-" + i));
      if (es.isEmpty() || !es.get(0).state().finished()) {
        return false;
      }
    }
    return true;
  }
}
