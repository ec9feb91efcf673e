package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The erasure race of {@link Review3StewardErasureTest} where it matters: two application instances
 * (two Stewards, each with its own data source) over one PostgreSQL database.
 */
class Review3PostgresTest {
  private static final TenantId ALPHA = TenantId.of("alpha");
  private static final ContactId SAM = ContactId.of("sam");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  /** A new data source over a fresh, bootstrapped database of the tests' embedded PostgreSQL. */
  private static Object freshDatabase(String name) throws Exception {
    Class<?> testDatabase = Class.forName("dev.steward.jdbc.TestDatabase");
    Method fresh = testDatabase.getDeclaredMethod("freshPostgres", String.class);
    fresh.setAccessible(true);
    Object db = fresh.invoke(null, name);
    StewardSchema.bootstrap(dataSource(db));
    return db;
  }

  private static DataSource dataSource(Object db) throws Exception {
    Method m = db.getClass().getDeclaredMethod("dataSource");
    m.setAccessible(true);
    return (DataSource) m.invoke(db);
  }

  private Message promo() {
    return Message.builder()
        .tenant(ALPHA)
        .account(AccountId.of("acct"))
        .contact(SAM)
        .to("sam@alpha.example")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  /**
   * Instance 1's runner has claimed sam's deferred message and is in its gates; instance 2 erases
   * sam and returns. Instance 1 then writes the intent, calls the transport and records SENT: mail
   * to an erased contact leaves after the erasure, and the delivery ledger again holds a record
   * naming the erased contact. The claim's lease is not consulted between the gates and the
   * transport, and {@code eraseContact} neither waits for nor fences claimed work.
   */
  @Test
  void anInstanceSendsToAContactAnotherInstanceJustErased() throws Exception {
    Object db = freshDatabase("review3_erasure_race");
    CapPolicy onePerDay =
        CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1)))).build();
    AtomicBoolean hold = new AtomicBoolean();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Gate slow =
        new Gate() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            if (hold.get()) {
              entered.countDown();
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return Decision.allow(Reason.of("slow", "ok", Outcome.ALLOW, ""));
          }
        };
    RecordingTransport transport = RecordingTransport.of();
    Steward one =
        Steward.builder(clock)
            .stores(JdbcStores.of(dataSource(db)))
            .transport(transport)
            .capPolicy(onePerDay)
            .gate(slow)
            .build();
    Steward two =
        Steward.builder(clock)
            .stores(JdbcStores.of(dataSource(db)))
            .transport(RecordingTransport.of())
            .capPolicy(onePerDay)
            .build();
    assertThat(one.dispatch(promo()).status()).isEqualTo(DispatchStatus.SENT);
    Message deferred = promo();
    assertThat(one.dispatch(deferred).status()).isEqualTo(DispatchStatus.DEFERRED);
    clock.advance(Duration.ofDays(1).plusMinutes(1));

    hold.set(true);
    Thread runner = new Thread(one::runDue, "review3-instance-1");
    runner.start();
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
    two.eraseContact(ALPHA, SAM);
    release.countDown();
    runner.join(20_000);

    assertThat(transport.sent()).as("sam was erased before the send").doesNotContain(deferred);
    assertThat(two.stores().ledger().find(ALPHA, deferred.idempotencyKey()))
        .as("no record of the erased contact")
        .isEmpty();
  }
}
