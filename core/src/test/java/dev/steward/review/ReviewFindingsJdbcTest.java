package dev.steward.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.Lease;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.testing.SettableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of the work engine on JDBC (H2 and PostgreSQL), compared with the in-memory store
 * for the same input. Each test states a promised behaviour and fails on the current code.
 */
class ReviewFindingsJdbcTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("review.job");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant BEYOND_2262 = Instant.parse("2300-01-01T00:00:00Z");

  private static EmbeddedPostgres pg;
  private static DataSource pgSource;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = EmbeddedPostgres.builder().start();
    pgSource = pg.getPostgresDatabase();
    StewardSchema.bootstrap(pgSource);
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  private static WorkStore postgres() {
    try (Connection c = pgSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM steward_work");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return JdbcWorkStore.of(pgSource);
  }

  private static WorkStore h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
    StewardSchema.bootstrap(ds);
    return JdbcWorkStore.of(ds);
  }

  private static WorkItem job(TenantId tenant, String id, Instant due) {
    return WorkItem.builder(tenant, JOB.kind(), id)
        .dueAt(due)
        .payload("{\"id\":\"" + id + "\"}")
        .build();
  }

  /** "stored" or the simple name of the exception an action threw. */
  private static String outcome(Runnable action) {
    Throwable t = catchThrowable(action::run);
    return t == null ? "stored" : t.getClass().getSimpleName();
  }

  // ---- the same input, the same answer --------------------------------------------------------

  @Test
  void aDueTimeBeyond2262IsRefusedAlikeBeforeAnyStoreSeesIt() {
    // memory would keep it and H2 refused it with another exception: now no store sees it
    assertThatThrownBy(() -> job(ACME, "far", BEYOND_2262))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("outside the storable range");
    assertThatThrownBy(
            () ->
                new Completion.Reschedule(
                    new Lease(WorkKey.of(ACME, JOB.kind(), "a"), "r", 1), BEYOND_2262, "{}"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("outside the storable range");
  }

  @Test
  void scheduleAllWithARepeatedKeyReplacesOnJdbcAsInMemory() {
    WorkItem first = job(ACME, "dup", T0);
    WorkItem second = job(ACME, "dup", T0.plusSeconds(60));
    List<WorkItem> batch = List.of(first, second);
    WorkStore memory = InMemoryWorkStore.of(Clock.systemUTC());
    assertThat(memory.scheduleAll(batch, IfExists.REPLACE)).isEqualTo(2);
    assertThat(memory.find(first.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(60));

    WorkStore jdbc = h2();
    Throwable thrown = catchThrowable(() -> jdbc.scheduleAll(batch, IfExists.REPLACE));

    assertThat(thrown).as("H2 answered the batch with").isNull();
    assertThat(jdbc.find(first.key()).orElseThrow().dueAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void findBySubjectWithAnEmptySubjectAnswersOnJdbcAsInMemory() {
    WorkItem noSubject = job(ACME, "plain", T0);
    WorkStore memory = InMemoryWorkStore.of(Clock.systemUTC());
    memory.schedule(noSubject, IfExists.KEEP);
    WorkStore jdbc = h2();
    jdbc.schedule(noSubject, IfExists.KEEP);

    assertThat(jdbc.findBySubject(ACME, "", JOB.kind()))
        .isEqualTo(memory.findBySubject(ACME, "", JOB.kind()));
  }

  @Test
  void aLeaseLongerThanADayIsRefusedAlikeInEveryStore() {
    Duration lease = Duration.ofDays(365L * 280); // memory granted it; H2 overflowed in SQL
    assertThatThrownBy(() -> ClaimRequest.of(T0, 1, "r", lease))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("lease must be at most PT24H");
    WorkStore memory = InMemoryWorkStore.of(Clock.systemUTC());
    WorkStore jdbc = h2();
    for (WorkStore store : List.of(memory, jdbc)) {
      assertThatThrownBy(() -> store.renew(List.of(), lease))
          .isInstanceOf(InvalidWorkException.class)
          .hasMessageContaining("lease must be at most");
    }
  }

  // ---- fairness -------------------------------------------------------------------------------

  @Test
  void smallClaimsServeEveryTenantWithABacklogInTurnOnJdbc() {
    WorkStore store = h2();
    List<WorkItem> items = new ArrayList<>();
    for (int t = 0; t < 32; t++) {
      TenantId tenant = TenantId.of(String.format("tenant-%02d", t));
      for (int i = 0; i < 5; i++) {
        items.add(job(tenant, "j" + i, T0));
      }
    }
    store.scheduleAll(items, IfExists.KEEP);
    Set<String> served = new TreeSet<>();
    for (int round = 0; round < 64; round++) {
      List<ClaimedWork> got = store.claim(ClaimRequest.of(T0, 1, "r", Duration.ofMinutes(1)));
      got.forEach(c -> served.add(c.item().key().tenant().value()));
      store.complete(got.stream().map(c -> (Completion) new Completion.Done(c.lease())).toList());
    }

    assertThat(served).hasSize(32);
  }

  // ---- one bad answer must not stall the rest -------------------------------------------------

  @Test
  void aHandlerReschedulingBeyond2262DoesNotStallTheOtherCompletionsOnJdbc() throws Exception {
    WorkStore store = h2();
    SettableClock clock = SettableClock.of(T0);
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .workers(1)
            .pollInterval(Duration.ofMillis(20))
            .shutdownGrace(Duration.ofMillis(200))
            .handler(
                JOB,
                WorkHandler.sync(
                    w ->
                        w.item().key().id().equals("far-future")
                            // "park it for ever": valid in memory, and for the runner
                            ? Next.rescheduleAt(BEYOND_2262)
                            : Next.done()))
            .build();
    store.schedule(
        WorkItem.builder(ACME, JOB.kind(), "far-future").dueAt(T0).priority(9).build(),
        IfExists.KEEP);
    for (int i = 0; i < 10; i++) {
      store.schedule(job(ACME, "ok-" + i, T0), IfExists.KEEP);
    }
    runner.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (store.count(dev.steward.schedule.WorkState.READY) > 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "ok-" + i)))
            .as("ok-" + i + " ran and answered done")
            .isEmpty();
      }
    } finally {
      runner.close();
    }
  }

  @Test
  void aRetryWhoseErrorHasANulCharacterDoesNotUndoTheOtherCompletionsOnPostgres() {
    WorkStore store = postgres();
    WorkStore memory = InMemoryWorkStore.of(Clock.systemUTC());
    for (WorkStore s : List.of(memory, store)) {
      s.schedule(job(ACME, "sent", T0), IfExists.KEEP);
      s.schedule(job(ACME, "failing", T0), IfExists.KEEP);
    }
    List<Completion> memoryAnswers = answers(memory);
    assertThat(memory.complete(memoryAnswers)).hasSize(2);

    List<Completion> answers = answers(store);
    Throwable thrown = catchThrowable(() -> store.complete(answers));

    assertThat(thrown).as("PostgreSQL answered the completions with").isNull();
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "sent"))).isEmpty();
  }

  /** Done for "sent"; a Retry for "failing" whose error echoes provider text holding a NUL. */
  private static List<Completion> answers(WorkStore s) {
    List<ClaimedWork> got = s.claim(ClaimRequest.of(T0, 2, "r", Duration.ofMinutes(1)));
    List<Completion> out = new ArrayList<>();
    for (ClaimedWork c : got) {
      out.add(
          c.item().key().id().equals("sent")
              ? new Completion.Done(c.lease())
              : new Completion.Retry(
                  c.lease(), T0.plusSeconds(30), "IllegalStateException: provider said \u0000"));
    }
    return out;
  }

  @Test
  void aSubjectWithANulCharacterIsRefusedAlikeBeforeAnyStoreSeesIt() {
    // memory kept it and PostgreSQL failed with a store error: now it is refused when built
    assertThatThrownBy(
            () ->
                WorkItem.builder(ACME, JOB.kind(), "s").subject("contact\u0000x").dueAt(T0).build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("subject of")
        .hasMessageContaining("control character");
  }

  // ---- odd Unicode in keys --------------------------------------------------------------------

  @Test
  void anIdWithALoneSurrogateIsRefusedBeforePostgresCanStoreItAsAQuestionMark() {
    assertThatThrownBy(() -> WorkKey.of(ACME, JOB.kind(), "msg-\uD800"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("half a surrogate pair at 4");
    assertThatThrownBy(() -> TenantId.of("t-\uDC00"))
        .isInstanceOf(dev.steward.model.InvalidModelException.class)
        .hasMessageContaining("half a surrogate pair");
    // a whole pair (an emoji) is kept and found under its own key
    WorkStore store = postgres();
    WorkKey key = WorkKey.of(ACME, JOB.kind(), "msg-\uD83D\uDE00");
    WorkItem item = WorkItem.builder(key).dueAt(T0).build();
    store.schedule(item, IfExists.KEEP);
    assertThat(store.find(key)).contains(item);
  }

  @Test
  void twoIdsDifferingOnlyInLoneSurrogatesCannotBeMadeSoNoneIsDroppedAsADuplicate() {
    assertThatThrownBy(() -> WorkKey.of(ACME, JOB.kind(), "msg-\uD800"))
        .isInstanceOf(InvalidWorkException.class);
    assertThatThrownBy(() -> WorkKey.of(ACME, JOB.kind(), "msg-\uDBFF"))
        .isInstanceOf(InvalidWorkException.class);
  }
}
