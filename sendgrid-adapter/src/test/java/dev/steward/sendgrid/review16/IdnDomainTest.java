package dev.steward.sendgrid.review16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.ippool.IpAddress;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.ReverseDns;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridIpPoolAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.testing.SettableClock;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's sending domain written in Unicode (an internationalised domain name such as {@code
 * bücher.example}) is a valid domain: the adapter sends SendGrid its ASCII form ({@code
 * xn--bcher-kva.example}) rather than refusing it; a name that is no domain in either form is still
 * refused before any request.
 */
class IdnDomainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_reverse_dns_v3.json");

  private final MockWebServer server = new MockWebServer();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
  private SendGridAdmin admin;
  private SendGridIpPoolAdmin pools;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SPEC.problems(r));
            if (r.getMethod().equals("GET")) {
              return new MockResponse().setBody("[]");
            }
            JsonNode body;
            try {
              body = JSON.readTree(r.getBody().clone().readUtf8());
            } catch (IOException e) {
              return new MockResponse().setResponseCode(400);
            }
            posted.add(body);
            String domain = body.path("domain").asText();
            String host = "o1." + body.path("subdomain").asText("o") + "." + domain;
            return new MockResponse()
                .setResponseCode(201)
                .setBody(
                    "{\"id\":1,\"ip\":\"192.0.2.1\",\"rdns\":\""
                        + host
                        + "\",\"users\":[],\"subdomain\":\"email\",\"domain\":\""
                        + domain
                        + "\",\"valid\":false,\"legacy\":false,\"a_record\":{\"valid\":false,"
                        + "\"type\":\"a\",\"host\":\""
                        + host
                        + "\",\"data\":\"192.0.2.1\"}}");
          }
        });
    server.start();
    admin =
        SendGridAdmin.builder(
                SettableClock.of(Instant.parse("2026-03-02T09:00:00Z")), ApiKey.of("SG.parent.key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
    pools = SendGridIpPoolAdmin.of(admin, TenantSubusers.of(Map.of(TenantId.of("acme"), "t-a")));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  @Test
  void aUnicodeDomainIsSentInItsAsciiForm() {
    ReverseDns made =
        pools.setUpReverseDns(IpAddress.of("192.0.2.1"), "Bücher.Example", Optional.of("email"));

    assertThat(posted).hasSize(1);
    assertThat(posted.get(0).path("domain").asText()).isEqualTo("xn--bcher-kva.example");
    assertThat(made.domain()).isEqualTo("xn--bcher-kva.example");
  }

  @Test
  void aNameThatIsNoDomainInEitherFormIsStillRefusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                pools.setUpReverseDns(
                    IpAddress.of("192.0.2.1"), "bü cher.example", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domain");
    assertThatThrownBy(
            () -> pools.setUpReverseDns(IpAddress.of("192.0.2.1"), "a..example", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }
}
