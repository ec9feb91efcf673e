package dev.steward.sendgrid.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.jdbc.JdbcConsentStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An opt-out recorded in Steward reaches SendGrid with no call from the application: the follower
 * reads core's consent change feed and schedules the pushes, and an instance dropped mid-pass is
 * taken over from the stored cursor; every request checked against tsg_suppressions_v3.json.
 */
class ConsentFollowerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TenantId ACME = TenantId.of("acme");
  private static final ContactId ANN = ContactId.of("ann");
  private static final ContactId BOB = ContactId.of("bob");
  private static final ContactId CARL = ContactId.of("carl");
  private static final Map<ContactId, EmailAddress> ADDRESSES =
      Map.of(
          ANN, EmailAddress.of("ann@acme.example"),
          BOB, EmailAddress.of("bob@acme.example"),
          CARL, EmailAddress.of("carl@acme.example"));
  private static final BiFunction<TenantId, ContactId, Optional<EmailAddress>> LOOKUP =
      (t, c) -> Optional.ofNullable(ADDRESSES.get(c));
  private static final TenantSubusers SUBUSERS = TenantSubusers.of(Map.of(ACME, "tenant-acme"));

  private final MockWebServer server = new MockWebServer();
  private final FakeSendGrid sendgrid = new FakeSendGrid();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(sendgrid);
    server.start();
    admin =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(sendgrid.problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  /** One instance: its push and follower on one runner. */
  private ManualWorkDriver instance(
      ConsentStore store, BiFunction<TenantId, ContactId, Optional<EmailAddress>> lookup) {
    SuppressionPush push =
        SuppressionPush.builder(admin, clock).categoryGroup("newsletter", 7).build();
    ConsentFollower follower =
        ConsentFollower.builder(push, store, work, SUBUSERS, lookup, clock).build();
    return ManualWorkDriver.of(
        follower.register(push.register(WorkRunner.builder(work, clock))).build(), clock);
  }

  private List<String> pushed() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (RecordedRequest r : sendgrid.requests) {
      out.add(
          r.getMethod()
              + " "
              + r.getPath()
              + " as "
              + r.getHeader("on-behalf-of")
              + " "
              + JSON.readTree(r.getBody().clone().readUtf8()).path("recipient_emails"));
    }
    return out;
  }

  @Test
  void aTenantWithoutASubuserReachesTheParentAccountOnlyWhenNamed() throws Exception {
    TenantId globex = TenantId.of("globex");
    InMemoryConsentStore store = InMemoryConsentStore.of();
    PreferenceCentre centre = PreferenceCentre.of(store, clock);
    SuppressionPush push =
        SuppressionPush.builder(admin, clock).categoryGroup("newsletter", 7).build();
    ConsentFollower follower =
        ConsentFollower.builder(push, store, work, SUBUSERS, LOOKUP, clock).build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            follower.register(push.register(WorkRunner.builder(work, clock))).build(), clock);
    driver.runDue();

    // globex has no subuser: its opt-outs would suppress the addresses for every tenant
    // sending from the parent account
    centre.optOut(globex, ANN, "preference-centre");
    centre.unsubscribe(globex, BOB, "newsletter", "preference-centre");
    centre.optOut(ACME, CARL, "preference-centre");
    driver.advance(Duration.ofMinutes(1));

    assertThat(pushed())
        .containsExactly("POST /v3/asm/suppressions/global as tenant-acme [\"carl@acme.example\"]");
    assertThat(push.parentAccountSkips()).isEqualTo(2);

    // an application whose tenant alone sends from the parent account names it
    SuppressionPush named =
        SuppressionPush.builder(admin, clock)
            .categoryGroup("newsletter", 7)
            .parentAccountTenant(globex)
            .build();
    InMemoryWorkStore work2 = InMemoryWorkStore.of(clock);
    ConsentFollower follower2 =
        ConsentFollower.builder(named, store, work2, SUBUSERS, LOOKUP, clock).build();
    ManualWorkDriver driver2 =
        ManualWorkDriver.of(
            follower2.register(named.register(WorkRunner.builder(work2, clock))).build(), clock);
    driver2.runDue();
    driver2.advance(Duration.ofMinutes(1));

    assertThat(pushed().subList(1, pushed().size()))
        .containsExactlyInAnyOrder(
            "POST /v3/asm/suppressions/global as null [\"ann@acme.example\"]",
            "POST /v3/asm/groups/7/suppressions as null [\"bob@acme.example\"]",
            "POST /v3/asm/suppressions/global as tenant-acme [\"carl@acme.example\"]");
    assertThat(named.parentAccountSkips()).isZero();
  }

  @Test
  void optOutsRecordedInStewardReachSendGridWithinAMinuteWithNoCall() throws Exception {
    InMemoryConsentStore store = InMemoryConsentStore.of();
    PreferenceCentre centre = PreferenceCentre.of(store, clock);
    ManualWorkDriver driver = instance(store, LOOKUP);
    driver.runDue();
    assertThat(sendgrid.requests).isEmpty();

    centre.optOut(ACME, ANN, "preference-centre");
    centre.unsubscribe(ACME, BOB, "newsletter", "preference-centre");
    centre.subscribe(ACME, CARL, "newsletter", "signup");
    driver.advance(Duration.ofMinutes(1));

    assertThat(pushed())
        .containsExactlyInAnyOrder(
            "POST /v3/asm/suppressions/global as tenant-acme [\"ann@acme.example\"]",
            "POST /v3/asm/groups/7/suppressions as tenant-acme [\"bob@acme.example\"]");

    // nothing new: nothing more is pushed
    driver.advance(Duration.ofMinutes(1));
    assertThat(sendgrid.requests).hasSize(2);
  }

  @Test
  void anInstanceDroppedMidPassIsTakenOverFromTheCursor() throws Exception {
    H2 h2 = new H2("sg-follow-" + System.nanoTime());
    StewardSchema.bootstrap(h2);
    PreferenceCentre centre = PreferenceCentre.of(JdbcConsentStore.of(h2), clock);
    centre.optOut(ACME, ANN, "preference-centre");
    centre.optOut(ACME, BOB, "preference-centre");
    centre.unsubscribe(ACME, CARL, "newsletter", "preference-centre");

    // instance A: its pass hangs at bob (the process is about to die) after scheduling ann's push
    CountDownLatch atBob = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    ManualWorkDriver a =
        instance(
            JdbcConsentStore.of(h2),
            (t, c) -> {
              if (c.equals(BOB)) {
                atBob.countDown();
                try {
                  never.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("instance A is gone");
              }
              return LOOKUP.apply(t, c);
            });
    Thread dying = new Thread(() -> catchAll(a::runDue), "instance-a");
    dying.start();
    assertThat(atBob.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sendgrid.requests).isEmpty();

    // instance B: only the databases shared; it takes the pass over once A's lease lapsed
    ManualWorkDriver b = instance(JdbcConsentStore.of(h2), LOOKUP);
    b.runDue();
    // the push A scheduled before it died is durable work of its own: B runs it; the rest of the
    // pass waits for A's lease
    assertThat(pushed())
        .containsExactly("POST /v3/asm/suppressions/global as tenant-acme [\"ann@acme.example\"]");
    b.advance(WorkRunner.DEFAULT_LEASE.plusMinutes(1));

    assertThat(pushed())
        .as("ann's push (A's, already done) is made again only as SendGrid's idempotent add")
        .containsExactlyInAnyOrder(
            "POST /v3/asm/suppressions/global as tenant-acme [\"ann@acme.example\"]",
            "POST /v3/asm/suppressions/global as tenant-acme [\"ann@acme.example\"]",
            "POST /v3/asm/suppressions/global as tenant-acme [\"bob@acme.example\"]",
            "POST /v3/asm/groups/7/suppressions as tenant-acme [\"carl@acme.example\"]");
    assertThat(work.find(ConsentFollower.key()).orElseThrow().payload()).isEqualTo("{\"after\":3}");

    dying.interrupt();
    dying.join(10_000);
    b.advance(Duration.ofMinutes(2));
    assertThat(sendgrid.requests).as("A's late end pushes nothing more").hasSize(4);
  }

  @Test
  void aStoreWithoutAFeedAndBadSettingsAreRefused() {
    SuppressionPush push = SuppressionPush.builder(admin, clock).build();
    ConsentStore noFeed =
        new ConsentStore() {
          @Override
          public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
            return Optional.empty();
          }

          @Override
          public ContactConsent update(
              TenantId tenant,
              ContactId contact,
              java.util.function.UnaryOperator<ContactConsent> change) {
            throw new UnsupportedOperationException();
          }

          @Override
          public boolean erase(TenantId tenant, ContactId contact) {
            return false;
          }

          @Override
          public int eraseTenant(TenantId tenant) {
            return 0;
          }
        };
    assertThatThrownBy(() -> ConsentFollower.builder(push, noFeed, work, SUBUSERS, LOOKUP, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keeps no consent change feed");
    ConsentFollower.Builder b =
        ConsentFollower.builder(push, InMemoryConsentStore.of(), work, SUBUSERS, LOOKUP, clock);
    assertThatThrownBy(() -> b.every(Duration.ofMinutes(5))).hasMessageContaining("within 5");
    assertThatThrownBy(() -> b.batch(0)).hasMessageContaining("batch must be 1 to");
  }

  private static void catchAll(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // instance A's end: whatever it tries to write is refused with its lost lease
    }
  }
}
