package dev.steward.sendgrid.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Steward's opt-outs reach SendGrid once, retried until they do. */
class SuppressionPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TenantId ACME = TenantId.of("acme");
  private static final EmailAddress ANN = EmailAddress.of("ann@acme.example");

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
    push = SuppressionPush.builder(admin, clock).categoryGroup("Newsletter", 7).build();
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
  void aCategoryWithoutAGroupIsRefusedBeforeAnythingIsScheduled() {
    assertThatThrownBy(() -> push.categoryUnsubscribe(work, ACME, Optional.empty(), ANN, "billing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'billing' maps to no unsubscribe group");
    assertThatThrownBy(() -> push.globalOptOut(work, ACME, Optional.of("a/b"), ANN))
        .hasMessageContaining("subuser username");
    assertThat(work.count(WorkState.READY)).isZero();
  }
}
