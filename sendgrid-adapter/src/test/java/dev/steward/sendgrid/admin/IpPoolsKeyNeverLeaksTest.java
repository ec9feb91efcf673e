package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.ippool.IpAddress;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The parent key appears in no log line (Steward's and OkHttp's at TRACE), exception message or
 * {@code toString()} through the IP pool calls, succeeding and failing.
 */
class IpPoolsKeyNeverLeaksTest {
  private final MockWebServer server = new MockWebServer();
  private final FakeIpApi fake = new FakeIpApi();
  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  @Test
  void theParentKeyStaysInTheAuthorizationHeader() {
    TenantId acme = TenantId.of("acme");
    PoolName pool = PoolName.of("warmup");
    IpAddress ip = IpAddress.of("192.0.2.10");
    fake.readyIp("192.0.2.10", "o1.mail.isv.example");
    fake.failNext(
        "POST /v3/ips/pools",
        new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    fake.failNext("POST /v3/ips/warmup", FakeIpApi.error(400, "ip", "not allowed"));
    fake.failNext("PUT /v3/subusers/tenant-acme/ips", new MockResponse().setResponseCode(401));
    List<String> texts = new ArrayList<>();
    try (SendGridAdmin sendGrid = AdminFixtures.admin(server, new AdminFixtures.Waits())) {
      SendGridIpPoolAdmin admin =
          SendGridIpPoolAdmin.of(sendGrid, TenantSubusers.of(Map.of(acme, "tenant-acme")));
      texts.add(admin.toString());
      texts.add(sendGrid.ipPools().toString());
      List<Runnable> calls =
          List.of(
              () -> admin.createPool(pool),
              () -> admin.createPool(pool),
              () -> admin.addIp(pool, ip),
              () -> admin.startWarmup(ip),
              () -> admin.assignTenant(acme, Stream.MARKETING, pool),
              () -> texts.add(admin.pools().toString()),
              () -> texts.add(admin.ip(ip).toString()));
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (SendGridApiException e) {
          for (Throwable c = e; c != null; c = c.getCause()) {
            texts.add(String.valueOf(c.getMessage()));
            texts.add(c.toString());
          }
        }
      }
    }
    assertThat(fake.count("POST /v3/ips/pools")).isEqualTo(2);
    assertThat(fake.count("PUT /v3/subusers/tenant-acme/ips")).isEqualTo(1);
    texts.addAll(logs.texts());
    assertThat(logs.events()).isNotEmpty();
    assertThat(texts)
        .anyMatch(t -> t.contains("AMBIGUOUS") || t.contains("may have acted"))
        .anyMatch(t -> t.contains("401"));
    assertThat(texts).noneMatch(s -> s.contains(AdminFixtures.PARENT_KEY));
  }
}
