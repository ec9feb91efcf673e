package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ippool.InvalidIpAddressException;
import dev.steward.ippool.InvalidIpPoolException;
import dev.steward.ippool.InvalidPoolNameException;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpInfo;
import dev.steward.ippool.IpNotReadyException;
import dev.steward.ippool.PoolInfo;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.mail.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's IpPoolAdmin on SendGrid's IP API against a stateful fake over MockWebServer: each change
 * looks first and is idempotent, creates are never resent, SendGrid's "already" answers are
 * success, its failures typed; every request checked against tsg_ips_v3.json, tsg_ip_warmup_v3.json
 * or tsg_subusers_v3.json.
 */
class SendGridIpPoolAdminTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId NOBODY = TenantId.of("nobody");
  private static final PoolName SHARED = PoolName.of("shared a");
  private static final PoolName WARM = PoolName.of("warmup-1");
  private static final IpAddress IP1 = IpAddress.of("192.0.2.10");
  private static final IpAddress IP2 = IpAddress.of("192.0.2.11");
  private static final IpAddress IP3 = IpAddress.of("198.51.100.7");

  private final MockWebServer server = new MockWebServer();
  private final FakeIpApi fake = new FakeIpApi();
  private final AdminFixtures.Waits waits = new AdminFixtures.Waits();
  private SendGridAdmin sendGrid;
  private SendGridIpPoolAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
    sendGrid = AdminFixtures.admin(server, waits);
    admin = SendGridIpPoolAdmin.of(sendGrid, TenantSubusers.of(Map.of(ACME, "tenant-acme")));
    fake.readyIp("192.0.2.10", "o1.mail.acme.example")
        .readyIp("192.0.2.11", "o2.mail.acme.example")
        .readyIp("198.51.100.7", "o3.mail.acme.example");
  }

  @AfterEach
  void stop() throws Exception {
    sendGrid.close();
    server.shutdown();
    assertThat(fake.problems).as("requests outside SendGrid's OpenAPI files").isEmpty();
  }

  @Test
  void poolsAreListedWithTheirIpsAndOneIsReadAlone() {
    fake.pool("shared a", "192.0.2.10", "192.0.2.11").pool("warmup-1");

    assertThat(admin.pools())
        .containsExactly(new PoolInfo(SHARED, List.of(IP1, IP2)), new PoolInfo(WARM, List.of()));
    assertThat(fake.requests)
        .containsExactly(
            "GET /v3/ips/pools", "GET /v3/ips/pools/shared%20a", "GET /v3/ips/pools/warmup-1");

    assertThat(admin.pool(SHARED)).contains(new PoolInfo(SHARED, List.of(IP1, IP2)));
    assertThat(admin.pool(PoolName.of("none here"))).isEmpty();
  }

  @Test
  void createPoolLooksFirstAndCreatesOnce() {
    admin.createPool(WARM);
    admin.createPool(WARM);

    assertThat(fake.pools).containsKey("warmup-1");
    assertThat(fake.requests)
        .containsExactly(
            "GET /v3/ips/pools/warmup-1", "POST /v3/ips/pools", "GET /v3/ips/pools/warmup-1");
    assertThat(fake.bodies).contains("POST /v3/ips/pools {\"name\":\"warmup-1\"}");
  }

  @Test
  void aCreateWhoseAnswerIsLostIsNotResentAndCallingAgainFindsThePool() {
    fake.failNext(
        "POST /v3/ips/pools",
        new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    assertThatThrownBy(() -> admin.createPool(WARM))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.AMBIGUOUS));
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);

    // SendGrid had made it after all
    fake.pool("warmup-1");
    admin.createPool(WARM);
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);
  }

  @Test
  void aCreateAnswered5xxIsNotRetriedAndTheNextCallCreatesIt() {
    fake.failNext("POST /v3/ips/pools", new MockResponse().setResponseCode(503));
    assertThatThrownBy(() -> admin.createPool(WARM))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR);
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(1);
    assertThat(waits.seen).isEmpty();

    admin.createPool(WARM);
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(2);
    assertThat(fake.pools).containsKey("warmup-1");
  }

  @Test
  void sendGridsAlreadyExistsAnswerIsSuccessOnceALookConfirmsIt() {
    // another instance made the pool between our look and our create
    fake.pool("warmup-1");
    fake.failNext("GET /v3/ips/pools/warmup-1", FakeIpApi.error(404, null, "not found"));

    admin.createPool(WARM);

    assertThat(fake.requests)
        .containsExactly(
            "GET /v3/ips/pools/warmup-1", "POST /v3/ips/pools", "GET /v3/ips/pools/warmup-1");
  }

  @Test
  void anotherRefusalIsThrownWithSendGridsFieldErrors() {
    fake.failNext(
        "POST /v3/ips/pools", FakeIpApi.error(400, "name", "you have reached the pool limit"));

    assertThatThrownBy(() -> admin.createPool(WARM))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.httpStatus()).hasValue(400);
              assertThat(e.fieldErrors())
                  .containsExactly(
                      new FieldError(
                          "you have reached the pool limit",
                          Optional.of("name"),
                          Optional.empty()));
              assertThat(e.getMessage()).contains("create IP pool", "reached the pool limit");
            });
    assertThat(fake.pools).doesNotContainKey("warmup-1");
  }

  @Test
  void addIpAddsOnceAndRefusesAMissingPoolBeforeChangingAnything() throws Exception {
    fake.pool("shared a");
    admin.addIp(SHARED, IP1);
    admin.addIp(SHARED, IP1);

    assertThat(fake.pools.get("shared a")).containsExactly("192.0.2.10");
    assertThat(fake.count("POST /v3/ips/pools/shared%20a/ips")).isEqualTo(1);

    assertThatThrownBy(() -> admin.addIp(WARM, IP1))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("SendGrid has no IP pool 'warmup-1'");
    assertThat(fake.count("POST /v3/ips/pools/warmup-1/ips")).isZero();
  }

  @Test
  void anIpTheAccountLacksIsNotReadyAndNotAdded() {
    fake.pool("shared a");
    IpAddress stranger = IpAddress.of("203.0.113.9");
    assertThatThrownBy(() -> admin.addIp(SHARED, stranger))
        .isInstanceOf(IpNotReadyException.class)
        .hasMessageContaining("203.0.113.9 is not an address of the account");
    assertThat(fake.count("POST /v3/ips/pools/shared%20a/ips")).isZero();
    assertThat(admin.ip(stranger)).isEmpty();
    assertThat(admin.details(stranger)).isEmpty();
  }

  @Test
  void anAddSendGridRefusesAsDoneIsSuccess() {
    // the IP joined (another instance) between our look and our add: SendGrid answers 400
    fake.pool("shared a", "192.0.2.10");
    fake.failNext(
        "GET /v3/ips/pools/shared%20a",
        new MockResponse().setBody("{\"pool_name\":\"shared a\",\"ips\":[]}"));
    admin.addIp(SHARED, IP1);
    assertThat(fake.requests)
        .containsExactly(
            "GET /v3/ips/pools/shared%20a",
            "GET /v3/ips/192.0.2.10",
            "POST /v3/ips/pools/shared%20a/ips",
            "GET /v3/ips/pools/shared%20a");
  }

  @Test
  void removeIpRemovesOnceAndIgnoresWhatIsNotThere() {
    fake.pool("shared a", "192.0.2.10", "192.0.2.11");
    admin.removeIp(SHARED, IP1);
    admin.removeIp(SHARED, IP1);
    admin.removeIp(WARM, IP1);

    assertThat(fake.pools.get("shared a")).containsExactly("192.0.2.11");
    assertThat(fake.count("DELETE /v3/ips/pools/shared%20a/ips/192.0.2.10")).isEqualTo(1);
    assertThat(fake.requests).noneMatch(r -> r.startsWith("DELETE /v3/ips/pools/warmup-1"));

    // gone between the look and the delete: SendGrid's 404 is success
    fake.failNext(
        "DELETE /v3/ips/pools/shared%20a/ips/192.0.2.11",
        new MockResponse().setResponseCode(404).setBody("{\"error\":\"not in pool\"}"));
    admin.removeIp(SHARED, IP2);
  }

  @Test
  void anIpsReverseDnsAndWarmUpAreReadIntoCoresView() {
    FakeIpApi.Ip pending = new FakeIpApi.Ip();
    pending.rdns = "o9.mail.acme.example";
    pending.whitelabeled = false;
    pending.warmup = true;
    pending.startDate = 1_767_225_600L;
    pending.subusers.add("tenant-acme");
    fake.ips.put("203.0.113.9", pending);
    fake.ips.put("203.0.113.10", new FakeIpApi.Ip());
    fake.pool("shared a", "203.0.113.9");

    IpAddress ip = IpAddress.of("203.0.113.9");
    assertThat(admin.ip(ip))
        .contains(
            new IpInfo(
                ip,
                Optional.of("o9.mail.acme.example"),
                false,
                Optional.of(Instant.ofEpochSecond(1_767_225_600L)),
                Optional.empty()));
    SendGridIp details = admin.details(ip).orElseThrow();
    assertThat(details.subusers()).containsExactly("tenant-acme");
    assertThat(details.pools()).containsExactly("shared a");
    assertThat(details.warmingUp()).isTrue();

    assertThat(admin.ip(IP1).orElseThrow().rdnsValidated()).isTrue();
    IpInfo bare = admin.ip(IpAddress.of("203.0.113.10")).orElseThrow();
    assertThat(bare.rdns()).isEmpty();
    assertThat(bare.rdnsValidated()).isFalse();
    assertThat(bare.warmupStartedAt()).isEmpty();
    assertThat(fake.requests).allMatch(r -> r.startsWith("GET /v3/ips/"));
  }

  @Test
  void warmUpStartsOnceAndStops() {
    IpPools pools = sendGrid.ipPools();
    assertThat(pools.warmup(IP1)).isEmpty();

    admin.startWarmup(IP1);
    admin.startWarmup(IP1);

    assertThat(fake.count("POST /v3/ips/warmup")).isEqualTo(1);
    assertThat(pools.warmup(IP1)).contains(AdminFixtures.NOW);
    assertThat(admin.ip(IP1).orElseThrow().warmupStartedAt()).contains(AdminFixtures.NOW);

    assertThat(admin.stopWarmup(IP1)).isTrue();
    assertThat(admin.stopWarmup(IP1)).isFalse();
    assertThat(fake.count("DELETE /v3/ips/warmup/192.0.2.10")).isEqualTo(1);
    assertThat(pools.warmup(IP1)).isEmpty();
  }

  @Test
  void assignTenantGivesItsSubuserThePoolsIpsAndKeepsItsOthers() {
    fake.pool("shared a", "192.0.2.10", "192.0.2.11");
    fake.ips.get("198.51.100.7").subusers.add("tenant-acme");
    fake.ips.get("192.0.2.11").subusers.add("tenant-other");

    admin.assignTenant(ACME, Stream.MARKETING, SHARED);
    admin.assignTenant(ACME, Stream.TRANSACTIONAL, SHARED);

    assertThat(fake.subusersOf("192.0.2.10")).containsExactly("tenant-acme");
    assertThat(fake.subusersOf("192.0.2.11"))
        .containsExactlyInAnyOrder("tenant-acme", "tenant-other");
    assertThat(fake.subusersOf("198.51.100.7")).containsExactly("tenant-acme");
    assertThat(fake.count("PUT /v3/subusers/tenant-acme/ips")).isEqualTo(1);
    assertThat(fake.bodies)
        .filteredOn(b -> b.startsWith("PUT "))
        .containsExactly(
            "PUT /v3/subusers/tenant-acme/ips [\"192.0.2.10\",\"192.0.2.11\",\"198.51.100.7\"]");
  }

  @Test
  void assignTenantReadsEveryPageOfTheAccountsIps() {
    for (int i = 0; i < 120; i++) {
      fake.ips.put("10.0.0." + i, new FakeIpApi.Ip());
    }
    fake.ips.get("10.0.0.119").subusers.add("tenant-acme");
    fake.pool("shared a", "192.0.2.10");

    admin.assignTenant(ACME, Stream.MARKETING, SHARED);

    assertThat(fake.count("GET /v3/ips")).isEqualTo(2);
    assertThat(fake.subusersOf("10.0.0.119")).containsExactly("tenant-acme");
    assertThat(fake.subusersOf("192.0.2.10")).containsExactly("tenant-acme");
  }

  @Test
  void assignTenantRefusesATenantWithoutSubuserBeforeAnyRequestAndAMissingPool() {
    assertThatThrownBy(() -> admin.assignTenant(NOBODY, Stream.MARKETING, SHARED))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("tenant nobody has no SendGrid subuser");
    assertThat(server.getRequestCount()).isZero();

    assertThatThrownBy(() -> admin.assignTenant(ACME, Stream.MARKETING, SHARED))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("SendGrid has no IP pool 'shared a'");
    assertThat(fake.requests).containsExactly("GET /v3/ips/pools/shared%20a");
  }

  @Test
  void namesAndAddressesSendGridWouldRefuseAreRefusedBeforeAnyRequest() {
    // a name SendGrid refuses (a leading period, a dot-segment) cannot even be made: core's
    // PoolName refuses it, so no admin call can carry one
    assertThatThrownBy(() -> PoolName.of(".hidden"))
        .isInstanceOf(InvalidPoolNameException.class)
        .hasMessageContaining("'.hidden' starts with a period");
    assertThatThrownBy(() -> PoolName.of("..")).isInstanceOf(InvalidPoolNameException.class);
    IpAddress v6 = IpAddress.of("2001:db8::1");
    assertThatThrownBy(() -> admin.addIp(SHARED, v6))
        .isInstanceOf(InvalidIpAddressException.class)
        .hasMessageContaining("2001:db8:0:0:0:0:0:1 is IPv6");
    assertThatThrownBy(() -> admin.ip(v6)).isInstanceOf(InvalidIpAddressException.class);
    assertThatThrownBy(() -> admin.startWarmup(v6)).isInstanceOf(InvalidIpAddressException.class);
    assertThatThrownBy(() -> admin.removeIp(SHARED, v6))
        .isInstanceOf(InvalidIpAddressException.class);
    assertThatThrownBy(() -> sendGrid.ipPools().subuserIps("tenant acme", List.of(IP1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("space");
    assertThatThrownBy(() -> sendGrid.ipPools().ips(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRateLimitIsWaitedOutUntilItsReset() {
    fake.pool("shared a", "192.0.2.10");
    fake.failNext(
        "GET /v3/ips/pools",
        new MockResponse()
            .setResponseCode(429)
            .setHeader("X-RateLimit-Reset", Long.toString(AdminFixtures.NOW.getEpochSecond() + 2)));

    assertThat(admin.pools()).extracting(PoolInfo::name).containsExactly(SHARED);
    assertThat(waits.seen).containsExactly(Duration.ofSeconds(2));
    assertThat(fake.count("GET /v3/ips/pools")).isEqualTo(2);
  }

  @Test
  void aRateLimitTooFarOffIsThrownWithItsReset() {
    Instant reset = AdminFixtures.NOW.plusSeconds(3600);
    fake.failNext(
        "GET /v3/ips/pools",
        new MockResponse()
            .setResponseCode(429)
            .setHeader("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));
    assertThatThrownBy(admin::pools)
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.RATE_LIMITED);
              assertThat(e.retryAfter()).contains(reset);
            });
  }

  @Test
  void serverErrorsOnSafeCallsAreRetriedWithBackOff() {
    fake.pool("shared a", "192.0.2.10");
    fake.failNext("GET /v3/ips/pools/shared%20a", new MockResponse().setResponseCode(500));
    fake.failNext("PUT /v3/subusers/tenant-acme/ips", new MockResponse().setResponseCode(502));
    fake.failNext(
        "PUT /v3/subusers/tenant-acme/ips",
        new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

    admin.assignTenant(ACME, Stream.MARKETING, SHARED);

    assertThat(fake.subusersOf("192.0.2.10")).containsExactly("tenant-acme");
    assertThat(fake.count("GET /v3/ips/pools/shared%20a")).isEqualTo(2);
    assertThat(fake.count("PUT /v3/subusers/tenant-acme/ips")).isEqualTo(3);
    assertThat(waits.seen).hasSize(3);
  }

  @Test
  void serverErrorsThatOutlastTheTriesAreThrownRetryable() {
    for (int i = 0; i < 3; i++) {
      fake.failNext("GET /v3/ips/192.0.2.10", new MockResponse().setResponseCode(503));
    }
    assertThatThrownBy(() -> admin.ip(IP1))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.SERVER_ERROR);
              assertThat(e.getMessage()).contains("read IP", "after 3 tries");
              assertThat(e.getMessage()).doesNotContain("192.0.2.10");
            });
  }

  @Test
  void anAnswerThatIsNotSendGridsShapeIsUnexpected() {
    fake.failNext("GET /v3/ips/pools", new MockResponse().setBody("{\"name\":\"x\"}"));
    assertThatThrownBy(admin::pools)
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER));
    fake.failNext(
        "GET /v3/ips/192.0.2.10",
        new MockResponse()
            .setBody("{\"ip\":\"192.0.2.999\",\"warmup\":false,\"whitelabeled\":true}"));
    assertThatThrownBy(() -> admin.ip(IP1))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER));
  }

  @Test
  void aPoolNameCoreCannotHoldIsLeftOutOfTheList() {
    fake.pool("x").pool("shared a", "192.0.2.10");
    assertThat(admin.pools()).extracting(PoolInfo::name).containsExactly(SHARED);
  }
}
