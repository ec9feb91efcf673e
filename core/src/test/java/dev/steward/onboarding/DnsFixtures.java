package dev.steward.onboarding;

import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.StaticDnsResolver;

/** Publishes what a tenant and the provider put in the DNS for a domain authentication. */
final class DnsFixtures {
  static final String PROVIDER = "sendgrid.example";

  private DnsFixtures() {}

  /** The tenant publishes the records asked for, the provider serves its side, DMARC p=none. */
  static void publish(StaticDnsResolver dns, DomainAuthentication auth) {
    for (DomainAuthentication.DnsRecord r : auth.records()) {
      dns.set(r.host(), r.type(), r.value());
    }
    provider(dns, auth);
    dns.set("_dmarc." + auth.domain(), RecordType.TXT, "v=DMARC1; p=none; rua=mailto:d@x.example");
  }

  /** The provider's side: SPF at the return-path target, keys at the DKIM targets. */
  static void provider(StaticDnsResolver dns, DomainAuthentication auth) {
    String user = "u" + auth.id() + ".wl." + PROVIDER;
    dns.set(user, RecordType.TXT, "v=spf1 ip4:203.0.113.0/24 -all");
    dns.set("s1.domainkey." + user, RecordType.TXT, "k=rsa; t=s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GN");
    dns.set("s2.domainkey." + user, RecordType.TXT, "k=rsa; t=s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GO");
  }
}
