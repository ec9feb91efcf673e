package dev.steward.testing;

import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.DomainAuthentication.DnsRecord;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.SenderAuthentication;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SenderAuthentication} in memory, shaped like a provider's automated security: for a
 * domain it asks for three CNAMEs (a return-path {@code em<n>} host and two DKIM selectors {@code
 * s1}, {@code s2}) pointing into {@code <provider zone>}, and validates them by looking them up in
 * a {@link DnsResolver} the test controls. For tests and dry runs; the SendGrid adapter holds the
 * real one.
 */
public final class FakeSenderAuthentication implements SenderAuthentication {
  private final DnsResolver dns;
  private final String providerZone;
  private final Map<String, DomainAuthentication> byId = new ConcurrentHashMap<>();
  private int next = 1000;

  private FakeSenderAuthentication(DnsResolver dns, String providerZone) {
    this.dns = dns;
    this.providerZone = providerZone;
  }

  /** A fake validating in {@code dns}, with targets under {@code providerZone}. */
  public static FakeSenderAuthentication over(DnsResolver dns, String providerZone) {
    if (dns == null || providerZone == null) {
      throw new InvalidOnboardingInputException("dns and providerZone must not be null");
    }
    return new FakeSenderAuthentication(dns, providerZone.toLowerCase(Locale.ROOT));
  }

  @Override
  public synchronized DomainAuthentication create(TenantId tenant, String domain) {
    if (tenant == null || domain == null) {
      throw new InvalidOnboardingInputException("tenant and domain must not be null");
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    for (DomainAuthentication a : byId.values()) {
      if (a.tenant().equals(tenant) && a.domain().equals(d)) {
        return a;
      }
    }
    int n = next++;
    String user = "u" + n + ".wl." + providerZone;
    List<DnsRecord> records =
        List.of(
            new DnsRecord(RecordType.CNAME, "em" + n + "." + d, user),
            new DnsRecord(RecordType.CNAME, "s1._domainkey." + d, "s1.domainkey." + user),
            new DnsRecord(RecordType.CNAME, "s2._domainkey." + d, "s2.domainkey." + user));
    DomainAuthentication a =
        new DomainAuthentication(
            Integer.toString(n),
            tenant,
            d,
            "em" + n + "." + d,
            d,
            List.of("s1", "s2"),
            records,
            false);
    byId.put(a.id(), a);
    return a;
  }

  @Override
  public Optional<DomainAuthentication> find(TenantId tenant, String id) {
    return Optional.ofNullable(byId.get(id)).filter(a -> a.tenant().equals(tenant));
  }

  @Override
  public synchronized DomainValidation validate(TenantId tenant, String id) {
    DomainAuthentication a =
        find(tenant, id)
            .orElseThrow(
                () ->
                    new InvalidOnboardingInputException(
                        "tenant " + tenant + " has no domain authentication '" + id + "'"));
    List<DomainValidation.RecordResult> results = new ArrayList<>();
    boolean all = true;
    for (DnsRecord r : a.records()) {
      DnsResolver.Answer answer = dns.resolve(r.host(), r.type());
      boolean ok =
          answer.status() == DnsResolver.Status.FOUND
              && answer.values().stream().anyMatch(v -> v.equalsIgnoreCase(r.value()));
      all &= ok;
      results.add(
          new DomainValidation.RecordResult(
              r, ok, ok ? "" : "found " + answer.status() + " " + answer.values()));
    }
    byId.put(
        id,
        new DomainAuthentication(
            a.id(),
            a.tenant(),
            a.domain(),
            a.returnPathDomain(),
            a.dkimDomain(),
            a.dkimSelectors(),
            a.records(),
            all));
    return new DomainValidation(id, all, results);
  }
}
