package dev.steward.sendgrid.admin;

import dev.steward.model.TenantId;
import dev.steward.onboarding.BrandedLinks;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.LinkBranding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Core's {@link LinkBranding} on SendGrid's link branding, each call made with the parent key
 * {@code on-behalf-of} the tenant's subuser, so the branding belongs to the subuser:
 *
 * <ul>
 *   <li>{@link #create}: returns the subuser's existing link branding of the domain when there is
 *       one, else creates one. Looking first also makes a create that failed ambiguously safe to
 *       call again.
 *   <li>The records to show the tenant are SendGrid's CNAMEs: {@code domain_cname} (the link host,
 *       {@code url<n>.<domain>}, to {@code sendgrid.net}) and {@code owner_cname} ({@code <user
 *       id>.<domain>}).
 *   <li>{@link #validate}: SendGrid's per-record results mapped onto those records, the reason kept
 *       for each invalid one; a record SendGrid did not report on counts as invalid.
 * </ul>
 *
 * A tenant without a subuser, an id that is not SendGrid's, or a bad domain is refused with an
 * {@link InvalidOnboardingInputException} before any request; SendGrid's failures are {@link
 * SendGridApiException}s.
 */
public final class SendGridLinkBranding implements LinkBranding {
  private final LinkBrandings links;
  private final TenantSubusers subusers;

  private SendGridLinkBranding(LinkBrandings links, TenantSubusers subusers) {
    this.links = links;
    this.subusers = subusers;
  }

  /** Over {@code admin}'s link branding, for the tenants' subusers in {@code subusers}. */
  public static SendGridLinkBranding of(SendGridAdmin admin, TenantSubusers subusers) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(subusers, "subusers");
    return new SendGridLinkBranding(admin.linkBrandings(), subusers);
  }

  @Override
  public BrandedLinks create(TenantId tenant, String domain) {
    String subuser = subuser(tenant);
    String d;
    try {
      d = Names.domain("domain", domain);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidOnboardingInputException(e.getMessage());
    }
    Optional<String> as = Optional.of(subuser);
    for (BrandedLink l : links.list(as, LinkBrandings.MAX_LIST)) {
      if (l.domain().equalsIgnoreCase(d) && ownedBy(l, subuser)) {
        return toCore(tenant, l);
      }
    }
    return toCore(tenant, links.create(as, d, Optional.empty()));
  }

  @Override
  public Optional<BrandedLinks> find(TenantId tenant, String id) {
    Objects.requireNonNull(tenant, "tenant");
    Optional<String> subuser = subusers.subuserOf(tenant);
    long n = SendGridSenderAuthentication.sendGridId(id);
    if (subuser.isEmpty() || n <= 0) {
      return Optional.empty();
    }
    return links.get(subuser, n).filter(l -> ownedBy(l, subuser.get())).map(l -> toCore(tenant, l));
  }

  @Override
  public DomainValidation validate(TenantId tenant, String id) {
    String subuser = subuser(tenant);
    long n = SendGridSenderAuthentication.sendGridId(id);
    BrandedLink at =
        (n > 0 ? links.get(Optional.of(subuser), n) : Optional.<BrandedLink>empty())
            .filter(l -> ownedBy(l, subuser))
            .orElseThrow(
                () ->
                    new InvalidOnboardingInputException(
                        "tenant " + tenant + " has no link branding '" + id + "'"));
    BrandedLinks known = toCore(tenant, at);
    DomainCheck check = links.validate(Optional.of(subuser), n);
    List<DomainValidation.RecordResult> results = new ArrayList<>();
    boolean all = check.valid();
    for (int i = 0; i < at.dns().size(); i++) {
      AuthenticatedDomain.DnsEntry e = at.dns().get(i);
      DomainCheck.RecordCheck r = check.results().get(e.name());
      boolean ok = r != null && r.valid();
      all &= ok;
      String reason =
          r == null
              ? "SendGrid did not report on " + e.name()
              : r.valid() ? "" : r.reason().orElse("SendGrid found " + e.name() + " invalid");
      results.add(new DomainValidation.RecordResult(known.records().get(i), ok, reason));
    }
    return new DomainValidation(known.id(), all, results);
  }

  private String subuser(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return subusers
        .subuserOf(tenant)
        .orElseThrow(
            () ->
                new InvalidOnboardingInputException(
                    "tenant " + tenant + " has no SendGrid subuser"));
  }

  private static boolean ownedBy(BrandedLink l, String subuser) {
    return l.username().map(u -> u.equalsIgnoreCase(subuser)).orElse(true); // SendGrid ignores case
  }

  /** Core's view of SendGrid's answer; a record core cannot hold is SendGrid's fault. */
  static BrandedLinks toCore(TenantId tenant, BrandedLink l) {
    String operation = "read link branding " + l.id();
    try {
      List<DomainAuthentication.DnsRecord> records = new ArrayList<>();
      String linkHost = null;
      for (AuthenticatedDomain.DnsEntry e : l.dns()) {
        records.add(
            new DomainAuthentication.DnsRecord(
                RecordType.valueOf(e.type().strip().toUpperCase(Locale.ROOT)), e.host(), e.data()));
        if (e.name().equals("domain_cname")) {
          linkHost = e.host();
        }
      }
      return new BrandedLinks(
          Long.toString(l.id()),
          tenant,
          l.domain().toLowerCase(Locale.ROOT),
          linkHost,
          records,
          l.valid());
    } catch (IllegalArgumentException | InvalidOnboardingInputException e) {
      throw EventWebhooks.unexpected(operation, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SendGridLinkBranding";
  }
}
