package dev.steward.sendgrid.mail;

import static dev.steward.sendgrid.mail.Fixtures.KEY;
import static dev.steward.sendgrid.mail.Fixtures.NOW;
import static dev.steward.sendgrid.mail.Fixtures.message;
import static dev.steward.sendgrid.mail.Fixtures.plain;
import static dev.steward.sendgrid.mail.Fixtures.transport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.webhook.SendGridEvents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transport against a loopback MockWebServer: each documented answer, and the failures. */
class SendGridTransportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final Fixtures.Recorder delays = new Fixtures.Recorder();
  private final List<SendGridTransport> transports = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    transports.forEach(SendGridTransport::close);
    server.shutdown();
  }

  private SendGridTransport open(SendGridTransport.Builder b) {
    SendGridTransport t = b.build();
    transports.add(t);
    return t;
  }

  private SendGridTransport plainTransport() {
    return open(transport(server, plain(), delays));
  }

  private static MockResponse accepted(String id) {
    return new MockResponse().setResponseCode(202).addHeader("X-Message-Id", id);
  }

  /** The request as SendGrid receives it, checked against SendGrid's schema. */
  private JsonNode take() throws InterruptedException, IOException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v3/mail/send");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    String body = r.getBody().readUtf8();
    assertThat(MailSendSchema.published().problems(body)).as("SendGrid's schema").isEmpty();
    return MAPPER.readTree(body);
  }

  @Test
  void accepted202CarriesTheMessageIdAndTheRequestMapsTheMessage() throws Exception {
    server.enqueue(accepted("sg-abc.filter01"));
    Message m = message("ann@example.com").build();

    SendResult result = plainTransport().send(m);

    assertThat(result.status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(result.providerMessageId()).isEqualTo("sg-abc.filter01");
    JsonNode body = take();
    JsonNode p = body.path("personalizations");
    assertThat(p).hasSize(1);
    assertThat(p.get(0).path("to").get(0).path("email").asText()).isEqualTo("ann@example.com");
    JsonNode args = p.get(0).path("custom_args");
    // exactly the keys the webhook parser reads back
    assertThat(args.path(SendGridEvents.MESSAGE_ID_ARG).asText()).isEqualTo(m.id().value());
    assertThat(args.path(SendGridEvents.TENANT_ARG).asText()).isEqualTo("tenant-1");
    assertThat(args.path(SendGridEvents.ACCOUNT_ARG).asText()).isEqualTo("acct-9");
    assertThat(args.path(SendGridEvents.CONTACT_ARG).asText()).isEqualTo("contact-ann");
    assertThat(args.has(SendGridEvents.JOURNEY_STEP_ARG)).isFalse();
    assertThat(args.has(SendGridEvents.POOL_ARG)).as("no pool chosen, none named").isFalse();
    assertThat(p.get(0).path("dynamic_template_data").path("total").asInt()).isEqualTo(42);
    assertThat(p.get(0).path("dynamic_template_data").path("items").get(1).asText()).isEqualTo("b");
    assertThat(p.get(0).has("headers")).as("no unsubscribe header on a receipt").isFalse();
    assertThat(body.path("from").path("email").asText()).isEqualTo("news@isv.example");
    assertThat(body.path("template_id").asText()).isEqualTo("d-0123456789abcdef");
    assertThat(body.path("categories").toString()).isEqualTo("[\"receipts\"]");
    assertThat(body.has("mail_settings")).isFalse();
    assertThat(body.has("asm")).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void everyOptionalPartIsMappedAndValidates() throws Exception {
    server.enqueue(accepted("x1"));
    Instant sendAt = NOW.plus(Duration.ofHours(71));
    SendGridTransport t =
        open(
            transport(
                    server,
                    m ->
                        MailContent.builder(Fixtures.FROM)
                            .fromName("ISV News")
                            .toName("Ann Example")
                            .replyTo(dev.steward.model.EmailAddress.of("help@isv.example"))
                            .category("q4-campaign")
                            .customArg("campaign", "c-77")
                            .templateData(Map.of("first", "Ann"))
                            .sendAt(sendAt)
                            .ipPoolName("tenant-1-pool")
                            .unsubscribeUrl(URI.create("https://isv.example/u/abc?x=1"))
                            .unsubscribeMailto(
                                dev.steward.model.EmailAddress.of("unsub@isv.example"))
                            .build(),
                    delays)
                .asmGroup("offers", AsmGroup.of(123, 123, 124, 125))
                .sandboxMode(true));

    SendResult result = t.send(Fixtures.promotional("ann@example.com"));

    assertThat(result.status()).isEqualTo(SendResult.Status.ACCEPTED);
    JsonNode body = take();
    JsonNode p = body.path("personalizations").get(0);
    assertThat(p.path("to").get(0).path("name").asText()).isEqualTo("Ann Example");
    assertThat(p.path("headers").path("List-Unsubscribe").asText())
        .isEqualTo("<https://isv.example/u/abc?x=1>, <mailto:unsub@isv.example>");
    assertThat(p.path("headers").path("List-Unsubscribe-Post").asText())
        .isEqualTo("List-Unsubscribe=One-Click");
    assertThat(p.path("custom_args").path(SendGridEvents.JOURNEY_STEP_ARG).asText())
        .isEqualTo("winback/day-3");
    assertThat(p.path("custom_args").path("campaign").asText()).isEqualTo("c-77");
    // the pool comes back on every event, so governance can count the pool's own metrics
    assertThat(p.path("custom_args").path(SendGridEvents.POOL_ARG).asText())
        .isEqualTo("tenant-1-pool");
    assertThat(body.path("ip_pool_name").asText()).isEqualTo("tenant-1-pool");
    assertThat(p.path("dynamic_template_data").toString()).isEqualTo("{\"first\":\"Ann\"}");
    assertThat(body.path("from").path("name").asText()).isEqualTo("ISV News");
    assertThat(body.path("reply_to").path("email").asText()).isEqualTo("help@isv.example");
    assertThat(body.path("categories").toString()).isEqualTo("[\"offers\",\"q4-campaign\"]");
    assertThat(body.path("send_at").asLong()).isEqualTo(sendAt.getEpochSecond());
    assertThat(body.path("asm").path("group_id").asInt()).isEqualTo(123);
    assertThat(body.path("asm").path("groups_to_display")).hasSize(3);
    assertThat(body.path("ip_pool_name").asText()).isEqualTo("tenant-1-pool");
    assertThat(body.path("mail_settings").path("sandbox_mode").path("enable").asBoolean()).isTrue();
  }

  @Test
  void mailWithoutTemplateSendsSubjectAndPlainTextBeforeHtml() throws Exception {
    server.enqueue(accepted("x2"));
    SendGridTransport t =
        open(
            transport(
                server,
                m ->
                    MailContent.builder(Fixtures.FROM)
                        .subject("Your receipt")
                        .html("<p>Thanks</p>")
                        .text("Thanks")
                        .build(),
                delays));

    t.send(message("ann@example.com").templateId(null).build());

    JsonNode body = take();
    assertThat(body.path("subject").asText()).isEqualTo("Your receipt");
    assertThat(body.path("content").get(0).path("type").asText()).isEqualTo("text/plain");
    assertThat(body.path("content").get(1).path("type").asText()).isEqualTo("text/html");
    assertThat(body.has("template_id")).isFalse();
    assertThat(body.path("personalizations").get(0).has("dynamic_template_data")).isFalse();
  }

  @Test
  void aBatchIsOneRequestWithOnePersonalizationPerMessage() throws Exception {
    server.enqueue(accepted("batch-1"));
    List<Message> batch =
        List.of(
            message("ann@example.com").build(),
            message("bob@example.com").build(),
            message("cy@example.com").build());

    SendResult result = plainTransport().sendBatch(batch);

    assertThat(result.status()).isEqualTo(SendResult.Status.ACCEPTED);
    JsonNode p = take().path("personalizations");
    assertThat(p).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(p.get(i).path("custom_args").path(SendGridEvents.MESSAGE_ID_ARG).asText())
          .isEqualTo(batch.get(i).id().value());
      assertThat(p.get(i).path("to").get(0).path("email").asText())
          .isEqualTo(batch.get(i).to().value());
    }
  }

  @Test
  void badRequestIsRejectedWithSendGridsFieldErrors() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody(
                "{\"errors\":[{\"message\":\"The from address does not match a verified Sender"
                    + " Identity.\",\"field\":\"from\",\"help\":\"http://sendgrid.com/help\"},"
                    + "{\"message\":\"Invalid type.\",\"field\":null,\"help\":null}]}"));
    SendGridTransport t = plainTransport();
    Message m = message("ann@example.com").build();

    CompletableFuture<SendResult> f = t.deliver(m);

    MailSendException e = failure(f);
    assertThat(e.kind()).isEqualTo(FailureKind.BAD_REQUEST);
    assertThat(e.outcome()).isEqualTo(SendResult.Status.REJECTED);
    assertThat(e.httpStatus()).hasValue(400);
    assertThat(e.fieldErrors())
        .containsExactly(
            new FieldError(
                "The from address does not match a verified Sender Identity.",
                java.util.Optional.of("from"),
                java.util.Optional.of("http://sendgrid.com/help")),
            new FieldError(
                "Invalid type.", java.util.Optional.empty(), java.util.Optional.empty()));
    assertThat(e.getMessage()).contains("from: The from address does not match");
    SendResult r = e.toSendResult();
    assertThat(r.status()).isEqualTo(SendResult.Status.REJECTED);
    assertThat(r.detail()).startsWith("BAD_REQUEST: message " + m.id());
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "401,AUTHENTICATION",
    "403,FORBIDDEN",
    "413,PAYLOAD_TOO_LARGE",
    "404,UNEXPECTED_STATUS"
  })
  void refusalsAreRejectedWithTheirKindAndNeverRetried(int status, FailureKind kind)
      throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setBody("{\"errors\":[{\"message\":\"refused\",\"field\":null}]}"));
    server.enqueue(accepted("must-not-be-reached"));

    SendResult r = plainTransport().send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.REJECTED);
    assertThat(r.detail()).startsWith(kind + ": ").contains(Integer.toString(status));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(delays.delays).isEmpty();
  }

  @Test
  void rateLimitWaitsForTheResetThenSucceeds() throws Exception {
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 3)));
    server.enqueue(accepted("after-reset"));

    SendResult r = plainTransport().send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(r.providerMessageId()).isEqualTo("after-reset");
    assertThat(delays.delays).containsExactly(Duration.ofSeconds(3));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aRateLimitResettingTooLateEndsRetryableAtTheReset() throws Exception {
    Instant reset = NOW.plusSeconds(600);
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));

    SendResult r = plainTransport().send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(r.retryAfter()).isEqualTo(reset);
    assertThat(r.detail()).startsWith("RATE_LIMITED: ");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void serverErrorIsRetriedWithJitteredBackoffThenSucceeds() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(accepted("second-try"));

    SendResult r = plainTransport().send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(r.providerMessageId()).isEqualTo("second-try");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(delays.delays).hasSize(1);
    assertThat(delays.delays.get(0))
        .isBetween(
            RetryPolicy.DEFAULT_INITIAL_BACKOFF.dividedBy(2), RetryPolicy.DEFAULT_INITIAL_BACKOFF);
  }

  @Test
  void serverErrorsOnEveryTryEndRetryableAfterTheAllowedTries() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(503));
    }
    server.enqueue(accepted("must-not-be-reached"));

    MailSendException e = failure(plainTransport().deliver(message("ann@example.com").build()));

    assertThat(e.kind()).isEqualTo(FailureKind.SERVER_ERROR);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.attempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(e.retryAfter()).hasValueSatisfying(t -> assertThat(t).isAfter(NOW));
    assertThat(server.getRequestCount()).isEqualTo(3);
    // the second back-off doubles the first
    assertThat(delays.delays.get(1)).isGreaterThanOrEqualTo(RetryPolicy.DEFAULT_INITIAL_BACKOFF);
  }

  @Test
  void aConnectionDroppedAfterTheRequestIsUnknownAndNeverResent() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(accepted("must-not-be-reached"));

    MailSendException e = failure(plainTransport().deliver(message("ann@example.com").build()));

    assertThat(e.kind()).isEqualTo(FailureKind.AMBIGUOUS);
    assertThat(e.toSendResult().status()).isEqualTo(SendResult.Status.UNKNOWN);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(delays.delays).isEmpty();
  }

  @Test
  void aTimeOutAfterTheRequestWasSentIsUnknownAndNeverResent() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(accepted("must-not-be-reached"));
    SendGridTransport t =
        open(transport(server, plain(), delays).readTimeout(Duration.ofMillis(300)));

    SendResult r = t.send(message("ann@example.com").build());

    assertThat(r.status()).isEqualTo(SendResult.Status.UNKNOWN);
    assertThat(r.detail()).startsWith("AMBIGUOUS: ").contains("not resent");
    take(); // the one request SendGrid saw was a valid one
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(delays.delays).isEmpty();
  }

  @Test
  void aRefusedConnectionIsRetriedThenRetryable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SendGridTransport t =
        open(
            transport(server, plain(), delays)
                .endpoint(Region.GLOBAL, URI.create("http://127.0.0.1:" + closedPort)));

    MailSendException e = failure(t.deliver(message("ann@example.com").build()));

    assertThat(e.kind()).isEqualTo(FailureKind.NETWORK);
    assertThat(e.toSendResult().status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(e.toSendResult().retryAfter()).isAfter(NOW);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(delays.delays).hasSize(2);
  }

  @Test
  void eachTenantSendsWithItsOwnKeyToItsRegion() throws Exception {
    try (MockWebServer eu = new MockWebServer()) {
      eu.enqueue(accepted("eu-1"));
      server.enqueue(accepted("global-1"));
      TenantId euTenant = TenantId.of("tenant-eu");
      SendGridCredentials creds =
          SendGridCredentials.perTenant(
              Map.of(
                  Fixtures.TENANT,
                  TenantCredential.of(ApiKey.of(KEY)),
                  euTenant,
                  new TenantCredential(ApiKey.of("SG.eu-key"), Region.EU)));
      SendGridTransport t =
          open(
              SendGridTransport.builder(Fixtures.CLOCK, creds, plain())
                  .endpoint(Region.GLOBAL, server.url("/").uri())
                  .endpoint(Region.EU, eu.url("/").uri()));

      assertThat(t.send(message("ann@example.com").tenant(euTenant).build()).providerMessageId())
          .isEqualTo("eu-1");
      assertThat(t.send(message("ann@example.com").build()).providerMessageId())
          .isEqualTo("global-1");
      assertThat(eu.takeRequest().getHeader("Authorization")).isEqualTo("Bearer SG.eu-key");
      take();
      SendResult none = t.send(message("ann@example.com").tenant(TenantId.of("nobody")).build());
      assertThat(none.status()).isEqualTo(SendResult.Status.REJECTED);
      assertThat(none.detail()).startsWith("NO_CREDENTIALS: ").contains("nobody");
    }
  }

  @Test
  void sendsBeyondTheInFlightBoundsAreRetryableAndNothingIsSent() throws Exception {
    server.enqueue(accepted("slow-a").setHeadersDelay(600, TimeUnit.MILLISECONDS));
    server.enqueue(accepted("slow-b").setHeadersDelay(600, TimeUnit.MILLISECONDS));
    SendGridTransport t = open(transport(server, plain(), delays).maxInFlight(2, 1));

    CompletableFuture<SendResult> a = t.deliver(message("ann@example.com").build());
    SendResult sameTenant = t.send(message("bob@example.com").build());
    CompletableFuture<SendResult> b =
        t.deliver(message("cy@example.com").tenant(TenantId.of("tenant-2")).build());
    SendResult overall = t.send(message("dee@example.com").tenant(TenantId.of("t3")).build());

    assertThat(sameTenant.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(sameTenant.detail()).startsWith("BUSY: ");
    assertThat(sameTenant.retryAfter()).isAfter(NOW);
    assertThat(overall.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(t.inFlight()).isEqualTo(2);
    assertThat(a.get(5, TimeUnit.SECONDS).status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(b.get(5, TimeUnit.SECONDS).status()).isEqualTo(SendResult.Status.ACCEPTED);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(t.inFlight()).isZero();
    // the permits came back: the tenant sends again
    server.enqueue(accepted("again"));
    assertThat(t.send(message("bob@example.com").build()).status())
        .isEqualTo(SendResult.Status.ACCEPTED);
  }

  @Test
  void manyAsynchronousSendsRunOnFewThreads() throws Exception {
    int n = 64;
    for (int i = 0; i < n; i++) {
      server.enqueue(accepted("m" + i).setHeadersDelay(50, TimeUnit.MILLISECONDS));
    }
    SendGridTransport t = plainTransport();
    List<CompletableFuture<SendResult>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(t.sendAsync(message("r" + i + "@example.com").build()).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(all)
        .allSatisfy(f -> assertThat(f.join().status()).isEqualTo(SendResult.Status.ACCEPTED));
    assertThat(server.getRequestCount()).isEqualTo(n);
    assertThat(t.inFlight()).isZero();
  }

  @Test
  void aClosedTransportSendsNothing() {
    SendGridTransport t = plainTransport();
    t.close();
    SendResult r = t.send(message("ann@example.com").build());
    assertThat(r.status()).isEqualTo(SendResult.Status.RETRYABLE);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void builderRefusesBadSettingsNamingThem() {
    SendGridTransport.Builder b =
        SendGridTransport.builder(
            Fixtures.CLOCK,
            SendGridCredentials.single(TenantCredential.of(ApiKey.of(KEY))),
            plain());
    assertThatThrownBy(() -> b.maxInFlight(10, 11)).hasMessageContaining("per tenant");
    assertThatThrownBy(() -> b.readTimeout(Duration.ZERO)).hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> b.endpoint(Region.EU, URI.create("https://x.example/v3")))
        .hasMessageContaining("without a path");
    b.asmGroup("Offers", AsmGroup.of(1));
    assertThatThrownBy(() -> b.asmGroup("offers", AsmGroup.of(2)))
        .hasMessageContaining("already has an ASM group");
    assertThatThrownBy(
            () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO))
        .hasMessageContaining("maxAttempts");
  }

  static MailSendException failure(CompletableFuture<SendResult> f) {
    try {
      SendResult r = f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + r);
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(MailSendException.class);
      return (MailSendException) e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
