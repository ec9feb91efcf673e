package dev.steward.sendgrid.admin;

import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.SenderAuthentication;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Core's {@link SenderAuthentication} (onboarding phase 2) on SendGrid's domain authentication,
 * each call made with the parent key {@code on-behalf-of} the tenant's subuser, so the
 * authentication belongs to the subuser and one tenant never sees another's.
 *
 * <ul>
 *   <li>{@link #create}: returns the subuser's existing authentication of the domain when there is
 *       one, else creates one with automatic security. Looking first also makes a create that
 *       failed ambiguously (SendGrid may have made it) safe to call again.
 *   <li>The records to show the tenant are SendGrid's {@code dns} records (with automatic security
 *       three CNAMEs: the return path {@code em<n>.<domain>} and the DKIM selectors {@code s1} and
 *       {@code s2}); the return-path domain is the {@code mail_cname} host, the DKIM selectors are
 *       read from the {@code <selector>._domainkey.<domain>} hosts.
 *   <li>{@link #validate}: SendGrid's per-record results mapped onto those records, the reason kept
 *       for each invalid one; a record SendGrid did not report on counts as invalid. A result for a
 *       name with no record (SendGrid's {@code spf} under automatic security, covered by the {@code
 *       mail_cname}) is not a record of its own: its verdict is part of SendGrid's overall one.
 * </ul>
 *
 * A tenant without a subuser, an id that is not SendGrid's, or a bad domain is refused with an
 * {@link InvalidOnboardingInputException} before any request; SendGrid's failures are {@link
 * SendGridApiException}s.
 */
public final class SendGridSenderAuthentication implements SenderAuthentication {
  private static final int PAGE = 50;

  private final DomainAuthentications domains;
  private final TenantSubusers subusers;

  private SendGridSenderAuthentication(DomainAuthentications domains, TenantSubusers subusers) {
    this.domains = domains;
    this.subusers = subusers;
  }

  /** Over {@code admin}'s domain authentication, for the tenants' subusers in {@code subusers}. */
  public static SendGridSenderAuthentication of(SendGridAdmin admin, TenantSubusers subusers) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(subusers, "subusers");
    return new SendGridSenderAuthentication(admin.domainAuthentications(), subusers);
  }

  @Override
  public DomainAuthentication create(TenantId tenant, String domain) {
    String subuser = subuser(tenant);
    String d;
    try {
      d = Names.domain("domain", domain);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidOnboardingInputException(e.getMessage());
    }
    Optional<String> as = Optional.of(subuser);
    List<AuthenticatedDomain> previous = List.of();
    for (int offset = 0; ; offset += PAGE) {
      List<AuthenticatedDomain> page = domains.list(as, Optional.of(d), PAGE, offset);
      for (AuthenticatedDomain a : page) {
        if (a.domain().equalsIgnoreCase(d) && ownedBy(a, subuser)) {
          return toCore(tenant, a);
        }
      }
      // a short page ends the list; so does a page that repeats (a server ignoring offset),
      // which would otherwise be read for ever
      if (page.size() < PAGE || page.equals(previous)) {
        break;
      }
      previous = page;
    }
    return toCore(tenant, domains.create(as, d, Optional.empty()));
  }

  @Override
  public Optional<DomainAuthentication> find(TenantId tenant, String id) {
    Objects.requireNonNull(tenant, "tenant");
    Optional<String> subuser = subusers.subuserOf(tenant);
    long n = sendGridId(id);
    if (subuser.isEmpty() || n <= 0) {
      return Optional.empty();
    }
    return domains
        .get(subuser, n)
        .filter(a -> ownedBy(a, subuser.get()))
        .map(a -> toCore(tenant, a));
  }

  @Override
  public DomainValidation validate(TenantId tenant, String id) {
    String subuser = subuser(tenant);
    long n = sendGridId(id);
    AuthenticatedDomain at =
        (n > 0 ? domains.get(Optional.of(subuser), n) : Optional.<AuthenticatedDomain>empty())
            .filter(a -> ownedBy(a, subuser))
            .orElseThrow(
                () ->
                    new InvalidOnboardingInputException(
                        "tenant " + tenant + " has no domain authentication '" + id + "'"));
    DomainAuthentication known = toCore(tenant, at);
    DomainCheck check = domains.validate(Optional.of(subuser), n);
    List<DomainValidation.RecordResult> results = new ArrayList<>();
    boolean all = check.valid();
    for (int i = 0; i < at.dns().size(); i++) {
      AuthenticatedDomain.DnsEntry e = at.dns().get(i);
      DomainAuthentication.DnsRecord record = known.records().get(i);
      DomainCheck.RecordCheck r = check.results().get(e.name());
      boolean ok = r != null && r.valid();
      all &= ok;
      String reason =
          r == null
              ? "SendGrid did not report on " + e.name()
              : r.valid() ? "" : r.reason().orElse("SendGrid found " + e.name() + " invalid");
      results.add(new DomainValidation.RecordResult(record, ok, reason));
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

  private static final java.util.regex.Pattern SENDGRID_ID =
      java.util.regex.Pattern.compile("[1-9][0-9]{0,17}");

  /**
   * SendGrid's numeric id (ASCII digits, no leading zero, at most 18), or 0 when {@code id} is not
   * one: other digits ({@code Character.isDigit} takes Arabic-Indic ones, which {@code
   * Long.parseLong} reads as ASCII) would name another id than the one asked for.
   */
  static long sendGridId(String id) {
    if (id == null || !SENDGRID_ID.matcher(id).matches()) {
      return 0;
    }
    return Long.parseLong(id);
  }

  /** With {@code on-behalf-of} SendGrid shows the subuser's own; a foreign username is not. */
  private static boolean ownedBy(AuthenticatedDomain a, String subuser) {
    return a.username().map(u -> u.equalsIgnoreCase(subuser)).orElse(true); // SendGrid ignores case
  }

  /** Core's view of SendGrid's answer; a record core cannot hold is SendGrid's fault. */
  static DomainAuthentication toCore(TenantId tenant, AuthenticatedDomain a) {
    String domain = a.domain().toLowerCase(Locale.ROOT);
    List<DomainAuthentication.DnsRecord> records = new ArrayList<>();
    List<String> selectors = new ArrayList<>();
    String returnPath = null;
    String operation = "read domain authentication " + a.id();
    try {
      for (AuthenticatedDomain.DnsEntry e : a.dns()) {
        RecordType type = RecordType.valueOf(e.type().strip().toUpperCase(Locale.ROOT));
        DomainAuthentication.DnsRecord r =
            new DomainAuthentication.DnsRecord(type, e.host(), e.data());
        records.add(r);
        String suffix = "._domainkey." + domain;
        if (r.host().endsWith(suffix) && r.host().length() > suffix.length()) {
          selectors.add(r.host().substring(0, r.host().length() - suffix.length()));
        } else if (e.name().equals("mail_cname") || e.name().equals("mail_server")) {
          returnPath = r.host();
        }
      }
      if (returnPath == null) {
        returnPath = a.subdomain().map(s -> s + "." + domain).orElse(domain);
      }
      return new DomainAuthentication(
          Long.toString(a.id()), tenant, domain, returnPath, domain, selectors, records, a.valid());
    } catch (IllegalArgumentException | InvalidOnboardingInputException e) {
      throw EventWebhooks.unexpected(operation, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "SendGridSenderAuthentication";
  }
}
