package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event Webhook settings: create with every event Steward reads, sign, verify with its key. */
class EventWebhooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_webhooks_v3.json");

  private final MockWebServer server = new MockWebServer();
  private final AdminFixtures.Waits waits = new AdminFixtures.Waits();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin = AdminFixtures.admin(server, waits);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  @Test
  void setUpCreatesTheWebhookTurnsSigningOnAndVerifiesWithSendGridsKey() throws Exception {
    KeyPair pair = p256();
    String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"max_allowed\":5,\"webhooks\":[{\"id\":\"other\",\"enabled\":true,"
                    + "\"url\":\"https://elsewhere.example/hook\"}]}"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"id\":\"77d4a5da-7015\",\"enabled\":true,\"url\":\"https://isv.example/sg\","
                    + "\"processed\":true,\"bounce\":true}"));
    server.enqueue(
        new MockResponse()
            .setBody("{\"id\":\"77d4a5da-7015\",\"public_key\":\"" + publicKey + "\"}"));

    EventWebhookVerifier verifier =
        admin
            .eventWebhooks()
            .setUp(URI.create("https://isv.example/sg"), Optional.of("tenant-acme"));

    RecordedRequest list = server.takeRequest();
    assertThat(list.getMethod() + " " + list.getPath())
        .isEqualTo("GET /v3/user/webhooks/event/settings/all");
    assertThat(list.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(SPEC.problems(list)).isEmpty();
    RecordedRequest create = server.takeRequest();
    assertThat(create.getMethod()).isEqualTo("POST");
    assertThat(create.getPath()).isEqualTo("/v3/user/webhooks/event/settings");
    assertThat(create.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + AdminFixtures.PARENT_KEY);
    JsonNode body = JSON.readTree(create.getBody().clone().readUtf8());
    assertThat(body.path("url").asText()).isEqualTo("https://isv.example/sg");
    assertThat(body.path("enabled").asBoolean()).isTrue();
    for (String e : EventWebhooks.EVENTS) {
      assertThat(body.path(e).asBoolean()).as(e).isTrue();
    }
    assertThat(SPEC.problems(create)).isEmpty();

    RecordedRequest sign = server.takeRequest();
    assertThat(sign.getMethod()).isEqualTo("PATCH");
    assertThat(sign.getPath()).isEqualTo("/v3/user/webhooks/event/settings/signed/77d4a5da-7015");
    assertThat(sign.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(sign.getBody().clone().readUtf8()).isEqualTo("{\"enabled\":true}");
    assertThat(SPEC.problems(sign)).isEmpty();

    // the verifier holds SendGrid's key: a batch signed with the matching private key passes,
    // one signed by another key does not
    String ts = Long.toString(AdminFixtures.NOW.getEpochSecond());
    byte[] batch = "[{\"event\":\"processed\"}]".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(sign(pair, ts, batch), ts, batch).isValid()).isTrue();
    assertThat(verifier.verify(sign(p256(), ts, batch), ts, batch).isValid()).isFalse();
  }

  @Test
  void setUpReusesAWebhookAlreadyPostingToTheUrlAndTurnsOnWhatIsMissing() throws Exception {
    KeyPair pair = p256();
    String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    server.enqueue(
        new MockResponse()
            .setBody(
                "{\"max_allowed\":5,\"webhooks\":[{\"id\":\"w9\",\"enabled\":false,"
                    + "\"url\":\"https://isv.example/sg\",\"bounce\":true}]}"));
    server.enqueue(
        new MockResponse()
            .setBody("{\"id\":\"w9\",\"enabled\":true,\"url\":\"https://isv.example/sg\"}"));
    server.enqueue(
        new MockResponse().setBody("{\"id\":\"w9\",\"public_key\":\"" + publicKey + "\"}"));

    admin.eventWebhooks().setUp(URI.create("https://isv.example/sg"), Optional.empty());

    assertThat(server.takeRequest().getPath()).isEqualTo("/v3/user/webhooks/event/settings/all");
    RecordedRequest update = server.takeRequest();
    assertThat(update.getMethod() + " " + update.getPath())
        .isEqualTo("PATCH /v3/user/webhooks/event/settings/w9");
    JsonNode body = JSON.readTree(update.getBody().clone().readUtf8());
    assertThat(body.path("enabled").asBoolean()).isTrue();
    assertThat(body.path("spam_report").asBoolean()).isTrue();
    assertThat(SPEC.problems(update)).isEmpty();
    RecordedRequest sign = server.takeRequest();
    assertThat(sign.getPath()).isEqualTo("/v3/user/webhooks/event/settings/signed/w9");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void theKeyOfAnExistingWebhookIsFetchedIntoAVerifier() throws Exception {
    KeyPair pair = p256();
    String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    server.enqueue(
        new MockResponse().setBody("{\"id\":\"w1\",\"public_key\":\"" + publicKey + "\"}"));

    EventWebhookVerifier verifier = admin.eventWebhooks().verifier("w1", Optional.empty());

    RecordedRequest get = server.takeRequest();
    assertThat(get.getPath()).isEqualTo("/v3/user/webhooks/event/settings/signed/w1");
    assertThat(get.getHeader("on-behalf-of")).isNull();
    assertThat(SPEC.problems(get)).isEmpty();
    String ts = Long.toString(AdminFixtures.NOW.getEpochSecond());
    byte[] batch = "[]".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(sign(pair, ts, batch), ts, batch).isValid()).isTrue();
  }

  @Test
  void theSameKeyFetchedAgainGivesTheSameVerifierAndANewKeyANewOne() throws Exception {
    String first = Base64.getEncoder().encodeToString(p256().getPublic().getEncoded());
    KeyPair rotated = p256();
    String second = Base64.getEncoder().encodeToString(rotated.getPublic().getEncoded());
    for (String key : new String[] {first, first, second}) {
      server.enqueue(new MockResponse().setBody("{\"id\":\"w1\",\"public_key\":\"" + key + "\"}"));
    }

    EventWebhookVerifier a = admin.eventWebhooks().verifier("w1", Optional.empty());
    EventWebhookVerifier b = admin.eventWebhooks().verifier("w1", Optional.empty());
    EventWebhookVerifier c = admin.eventWebhooks().verifier("w1", Optional.empty());

    assertThat(server.getRequestCount()).as("the key is still fetched every time").isEqualTo(3);
    assertThat(b).isSameAs(a);
    assertThat(c).isNotSameAs(a);
    String ts = Long.toString(AdminFixtures.NOW.getEpochSecond());
    byte[] batch = "[]".getBytes(StandardCharsets.UTF_8);
    assertThat(c.verify(sign(rotated, ts, batch), ts, batch).isValid()).isTrue();
    assertThat(a.verify(sign(rotated, ts, batch), ts, batch).isValid()).isFalse();
  }

  @Test
  void aPublicKeyThatIsNotP256IsAnUnexpectedAnswer() {
    server.enqueue(new MockResponse().setBody("{\"id\":\"w1\",\"public_key\":\"bm90IGEga2V5\"}"));
    assertThatThrownBy(() -> admin.eventWebhooks().verifier("w1", Optional.empty()))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER))
        .hasMessageContaining("get event webhook public key");
  }

  @Test
  void aPlainHttpUrlOrABadSubuserIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(
            () ->
                admin.eventWebhooks().create(URI.create("http://isv.example/sg"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                admin
                    .eventWebhooks()
                    .create(URI.create("https://isv.example/sg"), Optional.of("a b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subuser username");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aCreateThatFailsWith500IsNotRepeatedButSigningIs() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    assertThatThrownBy(
            () ->
                admin
                    .eventWebhooks()
                    .create(URI.create("https://isv.example/sg"), Optional.empty()))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR);
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(server.getRequestCount()).isEqualTo(1);

    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(new MockResponse().setBody("{\"id\":\"w1\",\"public_key\":\"k\"}"));
    assertThat(admin.eventWebhooks().enableSigning("w1", Optional.empty())).isEqualTo("k");
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(waits.seen).hasSize(1);
  }

  private static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static String sign(KeyPair pair, String ts, byte[] body) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(pair.getPrivate());
    s.update(ts.getBytes(StandardCharsets.UTF_8));
    s.update(body);
    return Base64.getEncoder().encodeToString(s.sign());
  }
}
