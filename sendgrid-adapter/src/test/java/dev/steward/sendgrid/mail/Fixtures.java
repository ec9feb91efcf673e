package dev.steward.sendgrid.mail;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.mockwebserver.MockWebServer;

/** Messages, contents and transports for the transport's tests. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String KEY = "SG.tenant-one-secret.QWxhZGRpbjpvcGVuIHNlc2FtZQ";
  static final TenantId TENANT = TenantId.of("tenant-1");
  static final EmailAddress FROM = EmailAddress.of("news@isv.example");

  private Fixtures() {}

  static Message.Builder message(String to) {
    return Message.builder()
        .tenant(TENANT)
        .account(AccountId.of("acct-9"))
        .contact(ContactId.of("contact-" + to.substring(0, to.indexOf('@'))))
        .to(to)
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .templateId("d-0123456789abcdef")
        .personalisation(Map.of("name", "Ann", "total", 42, "items", List.of("a", "b")))
        .createdAt(NOW);
  }

  static Message promotional(String to) {
    return message(to)
        .kind(MessageKind.PROMOTIONAL)
        .category("offers")
        .source(Source.journey("marketing", "winback", "day-3"))
        .build();
  }

  /** The plainest content: the sender only; template and data come from the message. */
  static Function<Message, MailContent> plain() {
    return m -> MailContent.builder(FROM).build();
  }

  /** Content with an unsubscribe URL per contact. */
  static Function<Message, MailContent> withUnsubscribe() {
    return m ->
        MailContent.builder(FROM)
            .unsubscribeUrl(URI.create("https://isv.example/u/" + m.contact().value()))
            .build();
  }

  static SendGridTransport.Builder transport(
      MockWebServer server, Function<Message, MailContent> content, Recorder delays) {
    return SendGridTransport.builder(
            CLOCK, SendGridCredentials.single(TenantCredential.of(ApiKey.of(KEY))), content)
        .endpoint(Region.GLOBAL, server.url("/").uri())
        .delayer(delays);
  }

  /** Runs retries at once and records how long the transport asked to wait. */
  static final class Recorder implements Delayer {
    final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void schedule(Duration delay, Runnable task) {
      delays.add(delay);
      task.run();
    }
  }
}
