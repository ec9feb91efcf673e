package dev.steward.sendgrid.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.AddressSuppressions;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.SuppressionReason;
import dev.steward.consent.SuppressionStore;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SendGrid's lists read page by page into the suppression store, resuming after a failure. */
class SuppressionSyncTest {
  static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final long T = NOW.getEpochSecond() - 3600;

  private final MockWebServer server = new MockWebServer();
  private final FakeSendGrid sendgrid = new FakeSendGrid();
  private final SettableClock clock = SettableClock.of(NOW);
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final CountingStore store = new CountingStore(InMemorySuppressionStore.of());
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(sendgrid);
    server.start();
    // one try per call: a failing page fails its work run, and the work engine retries it
    admin =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(dev.steward.sendgrid.mail.RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private SuppressionSync sync() {
    return SuppressionSync.builder(admin, store, clock)
        .pageSize(2)
        .groupCategory(7, "Newsletter")
        .settings(
            KindSettings.DEFAULT.withRetry(
                new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(5))))
        .build();
  }

  private ManualWorkDriver driver(SuppressionSync sync) {
    return ManualWorkDriver.of(sync.register(WorkRunner.builder(work, clock)).build(), clock);
  }

  @Test
  void aPassReadsEveryListAcrossPagesAndAppliesWhatSuppresses() {
    for (int i = 0; i < 5; i++) {
      sendgrid.entry("unsubscribes", T + i, "u" + i + "@acme.example", null);
    }
    sendgrid
        .entry("bounces", T, "hard@acme.example", "5.1.1")
        .entry("bounces", T, "soft@acme.example", "4.2.2")
        .entry("blocks", T, "blocked@acme.example", "4.0.0")
        .entry("spam_reports", T, "spam@acme.example", null)
        .entry("invalid_emails", T, "bad@acme.example", null)
        .entry("invalid_emails", T, "not an address", null)
        .group(T, "news@acme.example", 7)
        .group(T, "other@acme.example", 99);
    SuppressionSync sync = sync();
    ManualWorkDriver driver = driver(sync);

    assertThat(sync.schedule(work, ACME, Optional.of("tenant-acme"), Instant.EPOCH)).isTrue();
    assertThat(sync.schedule(work, ACME, Optional.of("tenant-acme"), Instant.EPOCH)).isFalse();
    driver.runDue();

    assertThat(sendgrid.problems).isEmpty();
    assertThat(sendgrid.offsets("unsubscribes")).containsExactly(0, 2, 4);
    assertThat(sendgrid.offsets("bounces")).containsExactly(0, 2);
    assertThat(sendgrid.offsets("blocks")).containsExactly(0);
    for (RecordedRequest r : sendgrid.requests) {
      assertThat(r.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
      if (r.getPath().startsWith("/v3/suppression/")) {
        assertThat(r.getRequestUrl().queryParameter("start_time")).isEqualTo("0");
        assertThat(r.getRequestUrl().queryParameter("end_time"))
            .isEqualTo(Long.toString(NOW.getEpochSecond()));
      }
    }
    for (int i = 0; i < 5; i++) {
      assertThat(reasons("u" + i + "@acme.example")).containsExactly(SuppressionReason.UNSUBSCRIBE);
    }
    assertThat(reasons("hard@acme.example")).containsExactly(SuppressionReason.HARD_BOUNCE);
    assertThat(reasons("soft@acme.example")).isEmpty();
    assertThat(reasons("blocked@acme.example")).isEmpty();
    assertThat(reasons("spam@acme.example")).containsExactly(SuppressionReason.SPAM_REPORT);
    assertThat(reasons("bad@acme.example")).containsExactly(SuppressionReason.INVALID_ADDRESS);
    assertThat(
            store
                .inner
                .find(ACME, EmailAddress.of("news@acme.example"))
                .flatMap(
                    a -> a.active(SuppressionReason.GROUP_UNSUBSCRIBE, Optional.of("newsletter"))))
        .isPresent();
    assertThat(reasons("other@acme.example")).isEmpty();
    assertThat(
            store
                .inner
                .find(ACME, EmailAddress.of("u0@acme.example"))
                .orElseThrow()
                .active(SuppressionReason.UNSUBSCRIBE, Optional.empty())
                .orElseThrow()
                .since())
        .isEqualTo(Instant.ofEpochSecond(T));

    // the next pass is due a period later and reads only from where this one ended
    WorkItem item = work.find(SuppressionSync.key(ACME)).orElseThrow();
    assertThat(item.dueAt()).isEqualTo(NOW.plus(SuppressionSync.DEFAULT_EVERY));
    int before = sendgrid.requests.size();
    sendgrid.entry("spam_reports", NOW.getEpochSecond() + 60, "late@acme.example", null);
    driver.advance(SuppressionSync.DEFAULT_EVERY);
    RecordedRequest next = sendgrid.requests.get(before);
    assertThat(next.getRequestUrl().queryParameter("start_time"))
        .isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(reasons("late@acme.example")).containsExactly(SuppressionReason.SPAM_REPORT);
    assertThat(store.finds("u0@acme.example")).isEqualTo(1);
  }

  @Test
  void aPageThatFailsIsRetriedAndTheSyncResumesThereWithoutReapplyingEarlierPages() {
    for (int i = 0; i < 5; i++) {
      sendgrid.entry("unsubscribes", T + i, "u" + i + "@acme.example", null);
    }
    sendgrid.failOnce("/v3/suppression/unsubscribes?2", 500);
    SuppressionSync first = sync();
    ManualWorkDriver driver = driver(first);
    first.schedule(work, ACME, Optional.of("tenant-acme"), Instant.EPOCH);

    driver.runDue();

    // page 1 applied, page 2 failed: the item waits for its retry with its place kept
    assertThat(sendgrid.offsets("unsubscribes")).containsExactly(0, 2);
    assertThat(reasons("u1@acme.example")).containsExactly(SuppressionReason.UNSUBSCRIBE);
    assertThat(reasons("u2@acme.example")).isEmpty();
    WorkItem waiting = work.find(SuppressionSync.key(ACME)).orElseThrow();
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.state()).isEqualTo(WorkState.READY);
    assertThat(waiting.lastError()).contains("500");

    // a new instance (as after a crash) with a new runner over the same work store resumes at page
    // 2
    ManualWorkDriver restarted = driver(sync());
    restarted.advance(Duration.ofMinutes(1));

    assertThat(sendgrid.offsets("unsubscribes")).containsExactly(0, 2, 2, 4);
    for (int i = 0; i < 5; i++) {
      assertThat(reasons("u" + i + "@acme.example")).containsExactly(SuppressionReason.UNSUBSCRIBE);
    }
    // page 1's addresses were looked at once: not applied again
    assertThat(store.finds("u0@acme.example")).isEqualTo(1);
    assertThat(store.finds("u1@acme.example")).isEqualTo(1);
    assertThat(sendgrid.problems).isEmpty();
  }

  @Test
  void aRefusedKeyStopsTheSyncVisiblyInsteadOfSkippingAnything() {
    sendgrid.entry("unsubscribes", T, "u0@acme.example", null);
    sendgrid.failOnce("/v3/suppression/unsubscribes?0", 401);
    SuppressionSync sync = sync();
    ManualWorkDriver driver = driver(sync);
    sync.schedule(work, ACME, Optional.empty(), Instant.EPOCH);

    driver.runDue();

    WorkItem dead = work.find(SuppressionSync.key(ACME)).orElseThrow();
    assertThat(dead.state()).isEqualTo(WorkState.DEAD);
    assertThat(dead.lastError()).contains("401");
    assertThat(sendgrid.offsets("bounces")).isEmpty();
    assertThat(sendgrid.requests.get(0).getHeader("on-behalf-of")).isNull();
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> SuppressionSync.builder(admin, store, clock).pageSize(501))
        .hasMessageContaining("pageSize must be 1 to 500");
    assertThatThrownBy(
            () -> SuppressionSync.builder(admin, store, clock).every(Duration.ofSeconds(5)))
        .hasMessageContaining("every must be 1 minute to 1 day");
    assertThatThrownBy(
            () ->
                SuppressionSync.builder(admin, store, clock)
                    .groupCategory(1, "a")
                    .groupCategory(1, "b"))
        .hasMessageContaining("group 1 already maps");
  }

  private List<SuppressionReason> reasons(String email) {
    return store.inner.find(ACME, EmailAddress.of(email)).stream()
        .flatMap(
            a ->
                java.util.Arrays.stream(SuppressionReason.values())
                    .filter(r -> !r.namesCategory() && a.active(r, Optional.empty()).isPresent()))
        .toList();
  }

  /**
   * The in-memory store, counting the sync's lookups of each address (an add looks first); the test
   * reads {@code inner} directly.
   */
  static final class CountingStore implements SuppressionStore {
    final SuppressionStore inner;
    private final Map<String, Integer> finds = new ConcurrentHashMap<>();

    CountingStore(SuppressionStore inner) {
      this.inner = inner;
    }

    int finds(String email) {
      return finds.getOrDefault(EmailAddress.of(email).value(), 0);
    }

    @Override
    public Optional<AddressSuppressions> find(TenantId tenant, EmailAddress address) {
      finds.merge(address.value(), 1, Integer::sum);
      return inner.find(tenant, address);
    }

    @Override
    public AddressSuppressions update(
        TenantId tenant, EmailAddress address, UnaryOperator<AddressSuppressions> change) {
      return inner.update(tenant, address, change);
    }

    @Override
    public List<AddressSuppressions> list(
        TenantId tenant, Optional<EmailAddress> after, int limit) {
      return inner.list(tenant, after, limit);
    }

    @Override
    public boolean erase(TenantId tenant, EmailAddress address) {
      return inner.erase(tenant, address);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }
  }
}
