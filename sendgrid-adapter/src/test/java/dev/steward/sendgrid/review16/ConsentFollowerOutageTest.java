package dev.steward.sendgrid.review16;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentChange;
import dev.steward.consent.ConsentChangeFeed;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.sendgrid.suppression.ConsentFollower;
import dev.steward.sendgrid.suppression.SuppressionPush;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consent follower is recurring work that must never stop: an outage of the consent database
 * (its feed failing for some hours) or one contact the application cannot resolve must not end the
 * following of every tenant's opt-outs. Every request checked against tsg_suppressions_v3.json.
 */
class ConsentFollowerOutageTest {
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_suppressions_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final ContactId ANN = ContactId.of("ann");
  private static final ContactId BOB = ContactId.of("bob");
  private static final ContactId ZED = ContactId.of("zed");
  private static final TenantSubusers SUBUSERS = TenantSubusers.of(Map.of(ACME, "tenant-acme"));

  private final MockWebServer server = new MockWebServer();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SPEC.problems(r));
            requests.add(r.getMethod() + " " + r.getPath() + " " + r.getBody().clone().readUtf8());
            return new MockResponse().setResponseCode(201).setBody("{\"recipient_emails\":[]}");
          }
        });
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
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  /** A consent store whose feed fails while {@code down}. */
  static final class FlakyFeedStore implements ConsentStore, ConsentChangeFeed {
    final InMemoryConsentStore inner = InMemoryConsentStore.of();
    volatile boolean down;

    @Override
    public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
      return inner.find(tenant, contact);
    }

    @Override
    public ContactConsent update(
        TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
      return inner.update(tenant, contact, change);
    }

    @Override
    public boolean erase(TenantId tenant, ContactId contact) {
      return inner.erase(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }

    @Override
    public List<ConsentChange> changesAfter(long sequence, int max) {
      if (down) {
        throw new IllegalStateException("consent database unreachable");
      }
      return inner.changesAfter(sequence, max);
    }
  }

  private ManualWorkDriver instance(
      ConsentStore store, BiFunction<TenantId, ContactId, Optional<EmailAddress>> lookup) {
    SuppressionPush push = SuppressionPush.builder(admin, clock).build();
    ConsentFollower follower =
        ConsentFollower.builder(push, store, work, SUBUSERS, lookup, clock).build();
    return ManualWorkDriver.of(
        follower.register(push.register(WorkRunner.builder(work, clock))).build(), clock);
  }

  private static Optional<EmailAddress> address(TenantId t, ContactId c) {
    return Optional.of(EmailAddress.of(c.value() + "@acme.example"));
  }

  private long globalPushesOf(String address) {
    return requests.stream()
        .filter(r -> r.startsWith("POST /v3/asm/suppressions/global ") && r.contains(address))
        .count();
  }

  @Test
  void aConsentDatabaseOutageOfAFewHoursDoesNotStopTheFollowingForGood() {
    FlakyFeedStore store = new FlakyFeedStore();
    ManualWorkDriver driver = instance(store, ConsentFollowerOutageTest::address);
    driver.runDue();

    store.down = true;
    for (int minute = 0; minute < 6 * 60; minute += 5) {
      driver.advance(Duration.ofMinutes(5));
    }
    store.down = false;

    PreferenceCentre.of(store, clock).optOut(ACME, ANN, "preference-centre");
    driver.advance(Duration.ofMinutes(5));

    assertThat(work.find(ConsentFollower.key()).orElseThrow().state())
        .as("the follower's item")
        .isNotEqualTo(WorkState.DEAD);
    assertThat(globalPushesOf("ann@acme.example"))
        .as("ann's opt-out, recorded after the outage, reaches SendGrid within 5 minutes")
        .isEqualTo(1);
  }

  @Test
  void oneContactTheApplicationCannotResolveDoesNotHoldBackEveryoneElse() {
    InMemoryConsentStore store = InMemoryConsentStore.of();
    PreferenceCentre centre = PreferenceCentre.of(store, clock);
    java.util.concurrent.atomic.AtomicBoolean zedBroken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    ManualWorkDriver driver =
        instance(
            store,
            (t, c) -> {
              if (c.equals(ZED) && zedBroken.get()) {
                throw new IllegalStateException("zed's record is corrupt in the application");
              }
              return address(t, c);
            });
    driver.runDue();

    centre.optOut(ACME, ZED, "preference-centre");
    centre.optOut(ACME, BOB, "preference-centre");
    for (int minute = 0; minute < 10; minute++) {
      driver.advance(Duration.ofMinutes(1));
    }

    assertThat(globalPushesOf("bob@acme.example"))
        .as("bob's opt-out, recorded after zed's, reaches SendGrid within 5 minutes")
        .isEqualTo(1);
    assertThat(globalPushesOf("zed@acme.example")).isZero();

    // once the application can resolve zed again, its own retry item pushes it
    zedBroken.set(false);
    for (int minute = 0; minute < 30; minute++) {
      driver.advance(Duration.ofMinutes(1));
    }
    assertThat(globalPushesOf("zed@acme.example")).isEqualTo(1);
    assertThat(globalPushesOf("bob@acme.example")).isEqualTo(1);
  }

  @Test
  void aFollowerItemLeftDeadIsFollowingAgainOnceRegistered() {
    InMemoryConsentStore store = InMemoryConsentStore.of();
    PreferenceCentre centre = PreferenceCentre.of(store, clock);
    centre.optOut(ACME, ANN, "preference-centre");
    // an earlier version's follower went DEAD after its attempts, its cursor at 0
    work.schedule(
        dev.steward.schedule.WorkItem.builder(ConsentFollower.key())
            .payload("{\"after\":0}")
            .dueAt(clock.instant())
            .build(),
        dev.steward.schedule.IfExists.KEEP);
    ManualWorkDriver old =
        ManualWorkDriver.of(
            WorkRunner.builder(work, clock)
                .handler(
                    dev.steward.schedule.WorkType.<String>of(
                        ConsentFollower.KIND, 1, p -> p, (j, v) -> j),
                    dev.steward.schedule.WorkHandler.sync(
                        c -> dev.steward.schedule.Next.fail("gave up")))
                .build(),
            clock);
    old.runDue();
    assertThat(work.find(ConsentFollower.key()).orElseThrow().state()).isEqualTo(WorkState.DEAD);

    ManualWorkDriver driver = instance(store, ConsentFollowerOutageTest::address);
    centre.optOut(ACME, BOB, "preference-centre");
    driver.advance(Duration.ofMinutes(2));

    assertThat(work.find(ConsentFollower.key()).orElseThrow().state()).isNotEqualTo(WorkState.DEAD);
    assertThat(globalPushesOf("ann@acme.example")).isEqualTo(1);
    assertThat(globalPushesOf("bob@acme.example")).isEqualTo(1);
  }
}
