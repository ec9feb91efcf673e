package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpNotReadyException;
import dev.steward.ippool.PoolName;
import dev.steward.model.TenantId;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reverse DNS of the account's IPs: set up (looking first), the A record to publish, validation
 * with SendGrid's reason, and the pool admin refusing an IP whose reverse DNS SendGrid does not
 * hold as valid; every request checked against tsg_reverse_dns_v3.json (and the IP files).
 */
class ReverseDnsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PoolName SHARED = PoolName.of("shared-a");
  private static final IpAddress IP = IpAddress.of("192.0.2.1");
  private static final IpAddress IP_10 = IpAddress.of("192.0.2.10");

  private final MockWebServer server = new MockWebServer();
  private final FakeIpApi fake = new FakeIpApi();
  private SendGridAdmin sendGrid;
  private SendGridIpPoolAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
    sendGrid = AdminFixtures.admin(server, new AdminFixtures.Waits());
    admin =
        SendGridIpPoolAdmin.of(
            sendGrid, TenantSubusers.of(Map.of(TenantId.of("acme"), "tenant-acme")));
    fake.bareIp("192.0.2.10").bareIp("192.0.2.1").pool("shared-a");
  }

  @AfterEach
  void stop() throws Exception {
    sendGrid.close();
    server.shutdown();
    assertThat(fake.problems).as("requests outside SendGrid's OpenAPI files").isEmpty();
  }

  @Test
  void aSetUpReturnsTheARecordToPublishAndIsMadeOnce() throws Exception {
    ReverseDns made = admin.setUpReverseDns(IP, "Mail.Acme.Example", Optional.of("email"));
    ReverseDns again = admin.setUpReverseDns(IP, "mail.acme.example", Optional.of("email"));

    assertThat(made.ip()).isEqualTo(IP);
    assertThat(made.valid()).isFalse();
    assertThat(made.aRecord().host()).isEqualTo("o100.email.mail.acme.example");
    assertThat(made.aRecord().data()).isEqualTo("192.0.2.1");
    assertThat(made.rdns()).isEqualTo(made.aRecord().host());
    assertThat(again).isEqualTo(made);
    assertThat(fake.count("POST /v3/whitelabel/ips")).isEqualTo(1);
    String post =
        fake.bodies.stream()
            .filter(b -> b.startsWith("POST /v3/whitelabel/ips "))
            .findFirst()
            .orElseThrow();
    assertThat(JSON.readTree(post.substring("POST /v3/whitelabel/ips ".length())))
        .isEqualTo(
            JSON.readTree(
                "{\"ip\":\"192.0.2.1\",\"subdomain\":\"email\",\"domain\":\"mail.acme.example\"}"));
  }

  @Test
  void anExistingSetUpUnderAnotherDomainIsRefusedNamingBothAndNothingIsChanged() {
    ReverseDns made = admin.setUpReverseDns(IP, "acme.example", Optional.of("email"));
    int before = fake.requests.size();

    assertThatThrownBy(() -> admin.setUpReverseDns(IP, "Other.Example.", Optional.of("email")))
        .isInstanceOfSatisfying(
            ReverseDnsDomainMismatchException.class,
            e -> {
              assertThat(e.existingDomain()).isEqualTo("acme.example");
              assertThat(e.askedDomain()).isEqualTo("other.example");
              assertThat(e.ip()).isEqualTo("192.0.2.1");
            })
        .hasMessageContaining("IP 192.0.2.1")
        .hasMessageContaining("'acme.example'")
        .hasMessageContaining("'other.example'");

    // only the look-up was made: nothing created, changed or deleted
    assertThat(fake.requests.subList(before, fake.requests.size()))
        .allSatisfy(r -> assertThat(r).startsWith("GET "));
    assertThat(fake.count("POST /v3/whitelabel/ips")).isEqualTo(1);
    assertThat(fake.rdnsRecords).hasSize(1);
    assertThat(fake.rdnsRecords.get(made.id()).domain).isEqualTo("acme.example");
    assertThat(admin.reverseDns(IP)).contains(made);

    // the same domain however written is the existing set-up
    assertThat(admin.setUpReverseDns(IP, "ACME.example.", Optional.of("email"))).isEqualTo(made);
    assertThat(fake.count("POST /v3/whitelabel/ips")).isEqualTo(1);
  }

  @Test
  void theSearchByPrefixFindsTheIpItselfNotALongerOne() {
    ReverseDns ten = admin.setUpReverseDns(IP_10, "acme.example", Optional.empty());
    assertThat(admin.reverseDns(IP)).isEmpty();
    ReverseDns one = admin.setUpReverseDns(IP, "acme.example", Optional.empty());
    assertThat(one.id()).isNotEqualTo(ten.id());
    assertThat(admin.reverseDns(IP)).contains(one);
    assertThat(admin.reverseDns(IP_10)).contains(ten);
    assertThat(sendGrid.reverseDns().get(one.id())).contains(one);
    assertThat(sendGrid.reverseDns().get(999)).isEmpty();
  }

  @Test
  void anIpJoinsAPoolOnlyOnceItsReverseDnsIsValid() {
    assertThatThrownBy(() -> admin.addIp(SHARED, IP))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("IP 192.0.2.1 cannot join pool 'shared-a'")
        .hasMessageContaining("reverse DNS");
    assertThatThrownBy(() -> admin.validateReverseDns(IP))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("has no reverse DNS at SendGrid");

    ReverseDns made = admin.setUpReverseDns(IP, "acme.example", Optional.of("email"));
    ReverseDnsCheck notYet = admin.validateReverseDns(IP);
    assertThat(notYet.id()).isEqualTo(made.id());
    assertThat(notYet.valid()).isFalse();
    assertThat(notYet.aRecordValid()).isFalse();
    assertThat(notYet.reason()).get().asString().contains("Failed to resolve A Record");
    assertThatThrownBy(() -> admin.addIp(SHARED, IP))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("(o100.email.acme.example)");
    assertThat(fake.count("POST /v3/ips/pools/shared-a/ips")).isZero();
    assertThat(admin.ip(IP).orElseThrow().rdnsValidated()).isFalse();

    fake.rdnsRecords.get(made.id()).published = true; // the tenant published the A record
    ReverseDnsCheck ok = admin.validateReverseDns(IP);
    assertThat(ok.valid()).isTrue();
    assertThat(ok.reason()).isEmpty();
    admin.addIp(SHARED, IP);
    assertThat(fake.pools.get("shared-a")).containsExactly("192.0.2.1");
    assertThat(admin.ip(IP).orElseThrow().rdnsValidated()).isTrue();
  }

  @Test
  void badInputIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> admin.setUpReverseDns(IP, "localhost", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no top-level label");
    assertThatThrownBy(
            () -> sendGrid.reverseDns().setUp(IP, "acme.example", Optional.of("two.labels")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not one DNS label");
    assertThatThrownBy(() -> sendGrid.reverseDns().validate(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }
}
