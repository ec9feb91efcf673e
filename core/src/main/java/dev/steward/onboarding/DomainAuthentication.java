package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.List;

/**
 * A sender domain's authentication as the provider set it up: the DNS records the tenant must
 * publish, and the names the checks look at.
 *
 * @param id the provider's identifier of this authentication
 * @param tenant the tenant it belongs to
 * @param domain the From domain authenticated
 * @param returnPathDomain the envelope sender (bounce) domain SPF is checked on
 * @param dkimDomain the DKIM signing domain ({@code d=})
 * @param dkimSelectors the DKIM selectors published under {@code
 *     <selector>._domainkey.<dkimDomain>}
 * @param records the records to show the tenant
 * @param valid whether the provider last found the records in place
 */
public record DomainAuthentication(
    String id,
    TenantId tenant,
    String domain,
    String returnPathDomain,
    String dkimDomain,
    List<String> dkimSelectors,
    List<DnsRecord> records,
    boolean valid) {
  public DomainAuthentication {
    id = Checks.text("id", id, 200);
    Checks.notNull("tenant", tenant);
    domain = Domains.normalise("domain", domain);
    returnPathDomain = Domains.normalise("returnPathDomain", returnPathDomain);
    dkimDomain = Domains.normalise("dkimDomain", dkimDomain);
    dkimSelectors = new java.util.ArrayList<>(Checks.notNull("dkimSelectors", dkimSelectors));
    if (dkimSelectors.isEmpty()) {
      throw new InvalidOnboardingInputException("dkimSelectors must name at least one selector");
    }
    for (int i = 0; i < dkimSelectors.size(); i++) {
      // a selector is looked up as <selector>._domainkey.<domain>: one or more DNS labels
      String sel = dkimSelectors.get(i);
      if (sel == null
          || !sel.matches(
              "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                  + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
          || sel.length() > 63) {
        throw new InvalidOnboardingInputException(
            "dkimSelectors[" + i + "] '" + sel + "' is not a DNS label (letters, digits, '-')");
      }
    }
    dkimSelectors = List.copyOf(dkimSelectors);
    records = List.copyOf(Checks.notNull("records", records));
  }

  /**
   * A DNS record the tenant must publish.
   *
   * @param type its type
   * @param host the name it is published at
   * @param value its value (a CNAME target, a TXT text)
   */
  public record DnsRecord(DnsResolver.RecordType type, String host, String value) {
    public DnsRecord {
      Checks.notNull("type", type);
      host = Domains.normaliseDnsName("host", host);
      value = Checks.text("value", value, 4000);
    }
  }
}
