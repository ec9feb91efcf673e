package dev.steward.sendgrid.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.sendgrid.LogCapture;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Steward's opt-outs reach SendGrid once, retried until they do. */
class SuppressionPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final TenantId INITECH = TenantId.of("initech");
  private static final EmailAddress ANN = EmailAddress.of("ann@acme.example");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final MockWebServer server = new MockWebServer();
  private final FakeSendGrid sendgrid = new FakeSendGrid();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private SendGridAdmin admin;
  private SuppressionPush push;
  private ManualWorkDriver driver;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(sendgrid);
    server.start();
    admin =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(dev.steward.sendgrid.mail.RetryPolicy.none())
            .build();
    // acme alone sends from the parent account; globex and initech have no subuser and do not
    push =
        SuppressionPush.builder(admin, clock)
            .categoryGroup("Newsletter", 7)
            .parentAccountTenant(ACME)
            .build();
    driver = ManualWorkDriver.of(push.register(WorkRunner.builder(work, clock)).build(), clock);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  @Test
  void aGlobalOptOutAndACategoryUnsubscribeArePushedOnceEach() throws Exception {
    assertThat(push.globalOptOut(work, ACME, Optional.of("tenant-acme"), ANN)).isTrue();
    assertThat(push.globalOptOut(work, ACME, Optional.of("tenant-acme"), ANN)).isFalse();
    assertThat(
            push.categoryUnsubscribe(work, ACME, Optional.of("tenant-acme"), ANN, " newsletter "))
        .isTrue();

    driver.runDue();
    driver.advance(Duration.ofHours(1));

    assertThat(sendgrid.requests).hasSize(2);
    assertThat(sendgrid.problems).isEmpty();
    RecordedRequest global =
        sendgrid.requests.stream()
            .filter(r -> r.getPath().equals("/v3/asm/suppressions/global"))
            .findFirst()
            .orElseThrow();
    assertThat(global.getMethod()).isEqualTo("POST");
    assertThat(global.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(JSON.readTree(global.getBody().clone().readUtf8()))
        .isEqualTo(JSON.readTree("{\"recipient_emails\":[\"ann@acme.example\"]}"));
    RecordedRequest group =
        sendgrid.requests.stream()
            .filter(r -> r.getPath().equals("/v3/asm/groups/7/suppressions"))
            .findFirst()
            .orElseThrow();
    assertThat(JSON.readTree(group.getBody().clone().readUtf8()))
        .isEqualTo(JSON.readTree("{\"recipient_emails\":[\"ann@acme.example\"]}"));
    assertThat(work.count(WorkState.READY)).isZero();
  }

  @Test
  void aPushThatFailsIsRetriedUntilSendGridTakesIt() {
    sendgrid.failOnce("/v3/asm/suppressions/global", 503);
    push.globalOptOut(work, ACME, Optional.empty(), ANN);

    driver.runDue();
    assertThat(sendgrid.requests).hasSize(1);
    assertThat(work.count(WorkState.READY)).isEqualTo(1);

    driver.advance(Duration.ofMinutes(5));
    assertThat(sendgrid.requests).hasSize(2);
    assertThat(sendgrid.requests.get(1).getHeader("on-behalf-of")).isNull();
    assertThat(work.count(WorkState.READY)).isZero();
    assertThat(sendgrid.problems).isEmpty();
  }

  @Test
  void aTenantWithoutASubuserIsNotPushedToTheParentAccountUnlessNamed() {
    assertThat(push.globalOptOut(work, GLOBEX, Optional.empty(), ANN)).isFalse();
    assertThat(push.categoryUnsubscribe(work, GLOBEX, Optional.empty(), ANN, "newsletter"))
        .isFalse();
    assertThat(push.globalOptOut(work, INITECH, Optional.empty(), ANN)).isFalse();
    assertThat(push.globalOptOut(work, GLOBEX, Optional.empty(), ANN)).isFalse();
    // the named tenant is pushed to the parent account; a subuser's as ever
    assertThat(push.globalOptOut(work, ACME, Optional.empty(), ANN)).isTrue();
    assertThat(push.globalOptOut(work, GLOBEX, Optional.of("tenant-globex"), ANN)).isTrue();

    driver.runDue();
    driver.advance(Duration.ofHours(1));

    assertThat(sendgrid.requests)
        .extracting(r -> r.getPath() + " as " + r.getHeader("on-behalf-of"))
        .containsExactlyInAnyOrder(
            "/v3/asm/suppressions/global as null", "/v3/asm/suppressions/global as tenant-globex");
    assertThat(sendgrid.problems).isEmpty();
    assertThat(push.parentAccountSkips()).isEqualTo(4);
    assertThat(work.count(WorkState.READY)).isZero();
    assertThat(logs.events())
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(e -> e.getFormattedMessage())
        .as("one WARN per tenant, naming it and no address")
        .hasSize(2)
        .anySatisfy(m -> assertThat(m).startsWith("tenant globex has no SendGrid subuser"))
        .anySatisfy(m -> assertThat(m).startsWith("tenant initech has no SendGrid subuser"))
        .allSatisfy(m -> assertThat(m).doesNotContain("ann@"));
  }

  @Test
  void aParentAccountPushQueuedBeforeIsSkippedWhenItRunsForATenantNotNamed() {
    // scheduled by an earlier version, which pushed every tenant without a subuser to the parent
    work.schedule(
        WorkItem.builder(WorkKey.of(GLOBEX, SuppressionPush.KIND, "global-old"))
            .payload(new PushOrder(Optional.empty(), ANN, OptionalInt.empty()).encode())
            .payloadVersion(PushOrder.VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.KEEP);

    driver.runDue();

    assertThat(sendgrid.requests).isEmpty();
    assertThat(push.parentAccountSkips()).isEqualTo(1);
    assertThat(work.find(WorkKey.of(GLOBEX, SuppressionPush.KIND, "global-old")))
        .as("done, neither retried nor DEAD")
        .isEmpty();
    assertThat(work.count(WorkState.DEAD)).isZero();
  }

  @Test
  void aTenantIsNamedTheParentAccountsOnce() {
    SuppressionPush.Builder b = SuppressionPush.builder(admin, clock).parentAccountTenant(ACME);
    assertThatThrownBy(() -> b.parentAccountTenant(ACME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenant acme is named as the parent account's already");
    assertThatThrownBy(() -> b.parentAccountTenant(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aCategoryWithoutAGroupIsRefusedBeforeAnythingIsScheduled() {
    assertThatThrownBy(() -> push.categoryUnsubscribe(work, ACME, Optional.empty(), ANN, "billing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'billing' maps to no unsubscribe group");
    assertThatThrownBy(() -> push.globalOptOut(work, ACME, Optional.of("a/b"), ANN))
        .hasMessageContaining("subuser username");
    assertThat(work.count(WorkState.READY)).isZero();
  }
}
