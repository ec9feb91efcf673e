package dev.steward.sendgrid.review16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.steward.ippool.IpAddress;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridApiException;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reverse DNS search against a SendGrid (or a proxy in front of it) that never runs out of pages:
 * every page full and different from the one before. The search must end with a clear error, not
 * page forever holding the caller's thread (the pool admin's addIp path calls it).
 */
class ReverseDnsEndlessPagesTest {
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_reverse_dns_v3.json");

  private final MockWebServer server = new MockWebServer();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger pages = new AtomicInteger();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SPEC.problems(r));
            int page = pages.incrementAndGet();
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
              long id = (long) page * 1000 + i;
              // 10.x addresses: never the one searched for; each page differs from the last
              String ip = "10." + (page % 250) + "." + (i / 250) + "." + (i % 250);
              if (i > 0) {
                body.append(',');
              }
              body.append("{\"id\":")
                  .append(id)
                  .append(",\"ip\":\"")
                  .append(ip)
                  .append("\",\"rdns\":\"o")
                  .append(id)
                  .append(".acme.example\",\"users\":[],\"subdomain\":\"o\",")
                  .append("\"domain\":\"acme.example\",\"valid\":true,\"legacy\":false,")
                  .append("\"a_record\":{\"valid\":true,\"type\":\"a\",\"host\":\"o")
                  .append(id)
                  .append(".acme.example\",\"data\":\"")
                  .append(ip)
                  .append("\"}}");
            }
            return new MockResponse().setBody(body.append(']').toString());
          }
        });
    server.start();
    admin =
        SendGridAdmin.builder(
                SettableClock.of(Instant.parse("2026-03-02T09:00:00Z")), ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  @Test
  void aSearchThatNeverRunsOutOfPagesEndsWithAClearError() {
    Throwable t =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> catchThrowable(() -> admin.reverseDns().find(IpAddress.of("192.0.2.1"))));

    assertThat(t).isInstanceOf(SendGridApiException.class).hasMessageContaining("page");
    assertThat(pages.get()).isLessThanOrEqualTo(1_000);
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }
}
