package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Neither the verification key nor an address reaches a log line, at any level. */
class SecretsNotLoggedTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.steward.sendgrid");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level was;

  @BeforeEach
  void capture() {
    was = logger.getLevel();
    logger.setLevel(Level.TRACE);
    logger.setAdditive(false); // to this appender only, not the console
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
    logger.setLevel(was);
    logger.setAdditive(true);
  }

  @Test
  void refusalsAndSkippedEventsLogNoKeyAndNoAddress() {
    Instant now = Instant.parse("2026-11-27T14:00:00Z");
    KeyPair pair = Keys.p256();
    String key = Keys.publicBase64(pair);
    EventWebhookVerifier verifier = EventWebhookVerifier.of(key, Clock.fixed(now, ZoneOffset.UTC));
    byte[] body =
        ("[{\"sg_event_id\":\"e1\",\"event\":\"machine_opened\",\"email\":\"private@example.com\","
                + "\"timestamp\":1},{\"sg_event_id\":\"e2\",\"event\":\"open\","
                + "\"email\":\"private@example.com\",\"timestamp\":1,\"category\":\"Not Ours!\"}]")
            .getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(now.getEpochSecond());

    verifier.verify(Keys.sign(Keys.p256(), ts, body), ts, body);
    verifier.verify("%%%", ts, body);
    verifier.verify(Keys.sign(pair, "1", body), "1", body);
    SendGridEvents.of().parse(body);

    assertThat(appender.list).isNotEmpty();
    assertThat(appender.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .allSatisfy(
            line ->
                assertThat(line)
                    .doesNotContain(key)
                    .doesNotContain(key.substring(40, 80))
                    .doesNotContain("private@example.com"));
  }
}
