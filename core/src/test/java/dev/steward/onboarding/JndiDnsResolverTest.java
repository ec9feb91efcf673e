package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DnsResolver.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JNDI resolver over a real UDP socket, against a DNS server in the test: answers, NXDOMAIN, no
 * answer, TXT chunks, and the blocklist check reading a refusal (127.255.255.254) as unchecked.
 */
class JndiDnsResolverTest {
  private final TinyDnsServer server;
  private final JndiDnsResolver resolver;

  JndiDnsResolverTest() throws Exception {
    server = new TinyDnsServer();
    resolver =
        JndiDnsResolver.builder()
            .nameserver("127.0.0.1:" + server.port())
            .timeout(Duration.ofMillis(300))
            .retries(0)
            .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersNxdomainAndSilenceAreToldApart() {
    server.set("listed.example.dbl.test", "A", "127.0.1.2");
    server.silent("slow.example.dbl.test");

    assertThat(resolver.resolve("listed.example.dbl.test", RecordType.A).values())
        .containsExactly("127.0.1.2");
    assertThat(resolver.resolve("clean.example.dbl.test", RecordType.A).status())
        .isEqualTo(Status.NOT_FOUND);
    DnsResolver.Answer slow = resolver.resolve("slow.example.dbl.test", RecordType.A);
    assertThat(slow.status()).isEqualTo(Status.FAILED);
    assertThat(server.queries()).as("every question went to the configured server").isEqualTo(3);
  }

  @Test
  void txtChunksAreJoinedAndUnderscoreNamesAreAsked() {
    server.set("_dmarc.acme.example", "TXT", "v=DMARC1; |p=reject");

    assertThat(resolver.resolve("_dmarc.acme.example", RecordType.TXT).values())
        .containsExactly("v=DMARC1; p=reject");
    server.set("s1._domainkey.acme.example", "TXT", "k=rsa;|p=MIGf\"x");
    assertThat(resolver.resolve("s1._domainkey.acme.example", RecordType.TXT).values())
        .as("unquoted strings, and a quote escaped inside one")
        .containsExactly("k=rsa;p=MIGf\"x");
  }

  @Test
  void aRefusalOfAPublicResolverReadsAsUncheckedEndToEnd() {
    server.set("acmebakery.com.dbl.test", "A", "127.255.255.254");
    VettingCheck check = VettingChecks.blocklists(resolver, List.of(DnsBlocklist.of("dbl.test")));

    CheckResult r =
        check.check(
            TenantId.of("acme"),
            Profiles.good().senderDomains("acmebakery.com").linkDomains().build());

    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(r.evidence())
        .containsExactly("acmebakery.com on dbl.test: UNCHECKED (FOUND [127.255.255.254])");
  }
}
