package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.TenantId;
import dev.steward.onboarding.BrandedLinks;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.sendgrid.LogCapture;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Core's LinkBranding on SendGrid's link branding, on behalf of the tenant's subuser: looked for
 * before it is created, the CNAMEs to show, per-record validation with SendGrid's reasons; every
 * request checked against tsg_link_branding_v3.json.
 */
class SendGridLinkBrandingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_link_branding_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId NOBODY = TenantId.of("nobody");

  @RegisterExtension final LogCapture logs = new LogCapture();

  private final MockWebServer server = new MockWebServer();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Link brandings by id, as SendGrid would answer them. */
  private final Map<Long, ObjectNode> links = new TreeMap<>();

  /** Whether the tenant published each record: what a validation finds. */
  private volatile boolean ownerPublished;

  private SendGridAdmin admin;
  private SendGridLinkBranding branding;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SPEC.problems(r));
            requests.add(r.getMethod() + " " + r.getPath() + " as " + r.getHeader("on-behalf-of"));
            return answer(r);
          }
        });
    server.start();
    admin = AdminFixtures.admin(server, new AdminFixtures.Waits());
    branding = SendGridLinkBranding.of(admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")));
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  private synchronized MockResponse answer(RecordedRequest r) {
    List<String> seg = r.getRequestUrl().pathSegments();
    String as = r.getHeader("on-behalf-of");
    if (seg.size() == 3 && r.getMethod().equals("GET")) {
      ArrayNode a = JSON.createArrayNode();
      // SendGrid does not tell usernames apart by case
      links.values().stream()
          .filter(l -> l.path("username").asText().equalsIgnoreCase(as))
          .forEach(a::add);
      return new MockResponse().setBody(a.toString());
    }
    if (seg.size() == 3 && r.getMethod().equals("POST")) {
      JsonNode body;
      try {
        body = JSON.readTree(r.getBody().clone().readUtf8());
      } catch (IOException e) {
        return new MockResponse().setResponseCode(400);
      }
      long id = 40 + links.size();
      links.put(id, link(id, body.path("domain").asText(), as));
      return new MockResponse().setResponseCode(201).setBody(links.get(id).toString());
    }
    ObjectNode l = links.get(Long.parseLong(seg.get(3)));
    if (l == null || !l.path("username").asText().equalsIgnoreCase(as)) {
      return new MockResponse()
          .setResponseCode(404)
          .setBody("{\"errors\":[{\"message\":\"not found\"}]}");
    }
    if (seg.size() == 4) {
      return new MockResponse().setBody(l.toString());
    }
    ObjectNode v =
        JSON.createObjectNode().put("id", l.path("id").asLong()).put("valid", ownerPublished);
    ObjectNode res = v.putObject("validation_results");
    res.putObject("domain_cname").put("valid", true).putNull("reason");
    ObjectNode owner = res.putObject("owner_cname").put("valid", ownerPublished);
    if (ownerPublished) {
      owner.putNull("reason");
    } else {
      owner.put("reason", "Expected CNAME to match \"sendgrid.net.\" but found none.");
    }
    return new MockResponse().setBody(v.toString());
  }

  private static ObjectNode link(long id, String domain, String username) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("id", id)
            .put("domain", domain)
            .put("subdomain", "url" + id)
            .put("username", username)
            .put("user_id", 7)
            .put("default", false)
            .put("valid", false)
            .put("legacy", false);
    ObjectNode dns = o.putObject("dns");
    dns.putObject("domain_cname")
        .put("valid", false)
        .put("type", "cname")
        .put("host", "url" + id + "." + domain)
        .put("data", "sendgrid.net");
    dns.putObject("owner_cname")
        .put("valid", false)
        .put("type", "cname")
        .put("host", "7." + domain)
        .put("data", "sendgrid.net");
    return o;
  }

  @Test
  void aLinkBrandingIsCreatedOnceOnBehalfOfTheSubuserWithItsCnames() throws Exception {
    BrandedLinks made = branding.create(ACME, "Acme.Example");
    BrandedLinks again = branding.create(ACME, "acme.example");

    assertThat(again).isEqualTo(made);
    assertThat(made.tenant()).isEqualTo(ACME);
    assertThat(made.domain()).isEqualTo("acme.example");
    assertThat(made.linkHost()).isEqualTo("url40.acme.example");
    assertThat(made.records())
        .extracting(r -> r.type() + " " + r.host() + " " + r.value())
        .containsExactly(
            "CNAME url40.acme.example sendgrid.net", "CNAME 7.acme.example sendgrid.net");
    assertThat(requests)
        .containsExactly(
            "GET /v3/whitelabel/links?limit=500 as tenant-acme",
            "POST /v3/whitelabel/links as tenant-acme",
            "GET /v3/whitelabel/links?limit=500 as tenant-acme");
    RecordedRequest post = server.takeRequest();
    post = server.takeRequest();
    assertThat(JSON.readTree(post.getBody().readUtf8()))
        .isEqualTo(JSON.readTree("{\"domain\":\"acme.example\"}"));
    assertThat(branding.find(ACME, made.id())).contains(made);
    assertThat(branding.find(ACME, "٤٠")).as("Arabic-Indic digits name no id").isEmpty();
    assertThat(branding.find(NOBODY, made.id())).isEmpty();
  }

  @Test
  void aBrandingWhoseUsernameSendGridSpellsInAnotherCaseIsTheSubusersOwn() {
    links.put(40L, link(40, "acme.example", "Tenant-ACME"));

    BrandedLinks found = branding.create(ACME, "acme.example");

    assertThat(found.id()).isEqualTo("40");
    assertThat(requests).containsExactly("GET /v3/whitelabel/links?limit=500 as tenant-acme");
    assertThat(branding.find(ACME, "40")).contains(found);
    assertThat(branding.validate(ACME, "40").records()).isNotEmpty();
  }

  @Test
  void aMalformedEntryIsSkippedLoggedAndCountedAndTheGoodOnesStillServeCreate() {
    BrandedLinks good = branding.create(ACME, "acme.example");
    ObjectNode noRecord = link(30, "acme.example", "tenant-acme");
    noRecord.putObject("dns"); // no domain_cname
    links.put(30L, noRecord);
    ObjectNode noId = link(31, "old.example", "tenant-acme");
    noId.remove("id");
    links.put(31L, noId);
    ObjectNode noHost = link(32, "older.example", "tenant-acme");
    ((ObjectNode) noHost.path("dns").path("owner_cname")).remove("host");
    links.put(32L, noHost);
    int before = requests.size();
    LinkBrandings lists = admin.linkBrandings();
    long skippedBefore = lists.malformedSkipped();

    assertThat(lists.list(java.util.Optional.of("tenant-acme"), LinkBrandings.MAX_LIST))
        .extracting(BrandedLink::id)
        .containsExactly(40L);
    assertThat(lists.malformedSkipped() - skippedBefore).isEqualTo(3);
    assertThat(logs.events())
        .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .filteredOn(e -> e.getLoggerName().equals(LinkBrandings.class.getName()))
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .hasSize(3)
        .anySatisfy(m -> assertThat(m).contains("no domain_cname record"))
        .anySatisfy(m -> assertThat(m).contains("lacks its id or domain"))
        .anySatisfy(m -> assertThat(m).contains("lacks its host or data"));

    // the tenant's create still finds its good link branding: no second one is made
    assertThat(branding.create(ACME, "acme.example")).isEqualTo(good);
    // and a domain whose only entry is malformed is created anew rather than blocked
    BrandedLinks older = branding.create(ACME, "older.example");
    assertThat(older.domain()).isEqualTo("older.example");
    assertThat(requests.subList(before, requests.size()))
        .containsExactly(
            "GET /v3/whitelabel/links?limit=500 as tenant-acme",
            "GET /v3/whitelabel/links?limit=500 as tenant-acme",
            "GET /v3/whitelabel/links?limit=500 as tenant-acme",
            "POST /v3/whitelabel/links as tenant-acme");
    assertThat(admin.linkBrandings().malformedSkipped() - skippedBefore)
        .as("counted across the admin's link brandings")
        .isEqualTo(9);
  }

  @Test
  void anAnswerThatIsNoListStillFails() {
    links.clear();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SPEC.problems(r));
            return new MockResponse().setBody("{\"result\":[]}");
          }
        });
    assertThatThrownBy(() -> branding.create(ACME, "acme.example"))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER))
        .hasMessageContaining("not a list");
  }

  @Test
  void validationGivesEachRecordItsResultAndSendGridsReason() {
    BrandedLinks made = branding.create(ACME, "acme.example");

    DomainValidation first = branding.validate(ACME, made.id());
    assertThat(first.valid()).isFalse();
    assertThat(first.records())
        .extracting(r -> r.record().host() + " " + r.valid() + " " + r.reason())
        .containsExactly(
            "url40.acme.example true ",
            "7.acme.example false Expected CNAME to match \"sendgrid.net.\" but found none.");

    ownerPublished = true;
    DomainValidation second = branding.validate(ACME, made.id());
    assertThat(second.valid()).isTrue();
    assertThat(second.records()).allMatch(DomainValidation.RecordResult::valid);
    assertThat(second.records().get(0).record().type()).isEqualTo(RecordType.CNAME);
  }

  @Test
  void whatCannotBeAskedIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> branding.create(NOBODY, "acme.example"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("has no SendGrid subuser");
    assertThatThrownBy(() -> branding.create(ACME, "localhost"))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThat(server.getRequestCount()).isZero();
    assertThatThrownBy(() -> branding.validate(ACME, "999"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("has no link branding '999'");
    assertThat(branding.configured()).isTrue();
  }
}
