package dev.steward.sendgrid.review5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import dev.steward.sendgrid.webhook.MalformedEventsException;
import dev.steward.sendgrid.webhook.SendGridEvents;
import dev.steward.sendgrid.webhook.Verification;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile review of the SendGrid Event Webhook piece: each test fails on a real defect. */
class Review5Test {
  private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  private static final long T = NOW.minusSeconds(60).getEpochSecond();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static String sign(KeyPair pair, String timestamp, byte[] body) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(pair.getPrivate());
      s.update(timestamp.getBytes(StandardCharsets.UTF_8));
      s.update(body);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String event(String id, String type, String email, String extra) {
    return "{\"sg_event_id\":\""
        + id
        + "\",\"event\":\""
        + type
        + "\",\"email\":\""
        + email
        + "\",\"timestamp\":"
        + T
        + ",\"steward_tenant\":\"acme\""
        + extra
        + "}";
  }

  static String hardBounce() {
    return event("b-1", "bounce", "gone@example.com", ",\"type\":\"bounce\",\"status\":\"5.1.1\"");
  }

  // ---------------------------------------------------------------------------------------------
  // 1. A dropped event with reason "Invalid" carries, by definition, an address SendGrid judged
  //    invalid (SendGrid's own batched sample has "email":"not an email address"). EmailAddress
  //    refuses it, so parse refuses the WHOLE batch: the hard bounce beside it never reaches core,
  //    SendGrid gets a 4xx and retries the same batch until it gives up. The documented
  //    DROPPED/Invalid -> INVALID_ADDRESS path of SuppressionListener is unreachable from SendGrid.

  @Test
  void aDroppedInvalidAddressDoesNotLoseTheRestOfTheBatch() {
    byte[] body =
        utf8(
            "["
                + hardBounce()
                + ","
                + event("d-1", "dropped", "not an email address", ",\"reason\":\"Invalid\"")
                + "]");

    List<EmailEvent> events =
        catchThrowableOrResult(() -> SendGridEvents.of().parse(body), "parse refused batch");

    assertThat(events).extracting(EmailEvent::eventId).contains("b-1");
  }

  // 1b. Addresses SendGrid delivers to but EmailAddress refuses: a quoted local part, an
  //     internationalised (SMTPUTF8 / IDN) address, a trailing-dot domain. One such recipient
  //     refuses the batch of every other tenant's events with it.
  @Test
  void anAddressSendGridSendsToButTheModelRefusesDoesNotRefuseTheBatch() {
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    for (String odd :
        List.of(
            "\\\"john smith\\\"@example.com", "jos\u00e9@b\u00fccher.de", "user@example.com.")) {
      byte[] body = utf8("[" + hardBounce() + "," + event("o-1", "delivered", odd, "") + "]");
      soft.assertThatCode(() -> SendGridEvents.of().parse(body))
          .as("batch with recipient %s", odd)
          .doesNotThrowAnyException();
    }
    soft.assertAll();
  }

  private static <T> T catchThrowableOrResult(
      java.util.concurrent.Callable<T> c, String description) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new AssertionError(description + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. MalformedEventsException promises to name the place "without quoting the body" /
  //    "without quoting addresses", but it attaches Jackson's exception as its cause, whose message
  //    quotes the offending token. Any logger printing the stack trace (the usual
  //    log.warn("...", e)) writes the recipient's address.

  @Test
  void aMalformedBodyDoesNotQuoteTheAddressAnywhereInTheStackTrace() {
    byte[] body =
        utf8("[{\"sg_event_id\":\"x\",\"event\":\"bounce\",\"email\":janeroe@example.com}]");

    Throwable t = catchThrowable(() -> SendGridEvents.of().parse(body));

    assertThat(t).isInstanceOf(MalformedEventsException.class);
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain("janeroe");
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Counters: unknownEventTypes() "how many events of a type this parser does not know it has
  //    skipped" and foreignCategories() "the event is kept" are incremented while parsing, before
  //    the batch is known to be good. A refused batch (which SendGrid retries) counts its events
  //    again on every retry though none was skipped or kept.

  @Test
  void aRefusedBatchCountsNoSkippedEventTypes() {
    SendGridEvents parser = SendGridEvents.of();
    byte[] body =
        utf8(
            "["
                + event("n-1", "group_resubscribed_v2", "a@example.com", "")
                + ",{\"sg_event_id\":\"bad\",\"event\":\"delivered\",\"email\":\"b@example.com\"}]");

    for (int retry = 0; retry < 3; retry++) {
      assertThat(catchThrowable(() -> parser.parse(body)))
          .isInstanceOf(MalformedEventsException.class);
    }

    assertThat(parser.unknownEventTypes()).isZero();
  }

  @Test
  void aForeignCategoryOfAnEventThatIsRefusedIsNotCountedAsKept() {
    SendGridEvents parser = SendGridEvents.of();
    // the foreign category is read before the custom args, which are invalid here
    byte[] body =
        utf8(
            "["
                + "{\"sg_event_id\":\"c-1\",\"event\":\"delivered\",\"email\":\"a@example.com\","
                + "\"timestamp\":"
                + T
                + ",\"category\":\"Cat Facts!\",\"steward_tenant\":\"bad\\u0001tenant\"}]");

    assertThat(catchThrowable(() -> parser.parse(body)))
        .isInstanceOf(MalformedEventsException.class);

    assertThat(parser.foreignCategories()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // 4. The builder accepts any positive maxAge / non-negative maxClockSkew, but verify() does
  //    Instant arithmetic that overflows for a large one: it throws instead of returning a
  //    Verification, for a correctly signed request. A caller following the README ("answer 4xx
  //    when either throws a WebhookException, 5xx when accept fails") cannot handle this.

  @Test
  void aLargeMaxAgeStillVerifiesAValidRequest() {
    KeyPair pair = p256();
    EventWebhookVerifier verifier =
        EventWebhookVerifier.builder(
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), clock)
            .maxAge(Duration.ofSeconds(Long.MAX_VALUE))
            .build();
    byte[] body = utf8("[]");
    String ts = Long.toString(T);

    assertThatCode(() -> verifier.verify(sign(pair, ts, body), ts, body))
        .doesNotThrowAnyException();
    assertThat(verifier.verify(sign(pair, ts, body), ts, body)).isEqualTo(Verification.VALID);
  }

  @Test
  void aLargeMaxClockSkewStillVerifiesAValidRequest() {
    KeyPair pair = p256();
    EventWebhookVerifier verifier =
        EventWebhookVerifier.builder(
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), clock)
            .maxClockSkew(Duration.ofSeconds(Long.MAX_VALUE))
            .build();
    byte[] body = utf8("[]");
    String ts = Long.toString(T);

    assertThatCode(() -> verifier.verify(sign(pair, ts, body), ts, body))
        .doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------------------------------------
  // 5. parse() accepts an event that core cannot store (kept attributes are unbounded; core stores
  //    at most EventIngestor.MAX_ITEM_CHARS per event). accept() then throws
  //    InvalidEventBatchException, which is not a WebhookException, so a caller following the
  //    README answers 5xx "so SendGrid retries": every retry fails the same way and the whole batch
  //    (every other event in it) is lost. Either parse must refuse it (4xx) or drop the oversized
  //    attribute; what must not happen is a non-WebhookException out of parse+accept.

  @Test
  void oneOversizedEventDoesNotPoisonTheBatchWithARetryableFailure() {
    dev.steward.Steward steward =
        dev.steward.Steward.builder(clock)
            .transport(dev.steward.testing.RecordingTransport.of())
            .build();
    String url =
        "https://example.com/?q=" + "a".repeat(dev.steward.delivery.EventIngestor.MAX_ITEM_CHARS);
    byte[] body =
        utf8(
            "["
                + hardBounce()
                + ","
                + event("k-1", "click", "reader@example.com", ",\"url\":\"" + url + "\"")
                + "]");

    Throwable t = catchThrowable(() -> steward.accept(SendGridEvents.of().parse(body)));

    assertThat(t)
        .satisfiesAnyOf(
            x -> assertThat(x).isNull(),
            x -> assertThat(x).isInstanceOf(dev.steward.sendgrid.webhook.WebhookException.class));
  }

  @SuppressWarnings("unused")
  private static EmailEventType unused() {
    return EmailEventType.BOUNCE;
  }
}
