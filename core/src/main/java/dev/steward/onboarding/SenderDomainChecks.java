package dev.steward.onboarding;

import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DnsResolver.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a sender domain's authentication in the DNS (phase 2): the provider's own record-by-record
 * validation, then SPF on the return-path domain, DKIM keys under each selector, a DMARC policy on
 * the From domain (or its organisational domain), and DMARC alignment: at least one of SPF and DKIM
 * passes and is aligned with the From domain (relaxed, or strict when the policy says {@code
 * aspf=s} / {@code adkim=s}). CNAMEs are followed up to {@value #MAX_CNAME_HOPS} hops.
 */
public final class SenderDomainChecks {
  /** How many CNAMEs a lookup follows. */
  public static final int MAX_CNAME_HOPS = 5;

  private final DnsResolver dns;

  private SenderDomainChecks(DnsResolver dns) {
    this.dns = dns;
  }

  /** Checks over {@code dns}. */
  public static SenderDomainChecks of(DnsResolver dns) {
    return new SenderDomainChecks(Checks.notNull("dns", dns));
  }

  /** The report on {@code auth}, given the provider's {@code validation} of it. */
  public CheckReport check(DomainAuthentication auth, DomainValidation validation) {
    Checks.notNull("auth", auth);
    Checks.notNull("validation", validation);
    List<CheckResult> results = new ArrayList<>();
    results.add(provider(auth, validation));
    CheckResult spf = spf(auth);
    CheckResult dkim = dkim(auth);
    Optional<Map<String, String>> dmarcTags = dmarcTags(auth.domain());
    results.add(spf);
    results.add(dkim);
    results.add(dmarc(auth.domain(), dmarcTags));
    results.add(alignment(auth, spf, dkim, dmarcTags.orElse(Map.of())));
    return new CheckReport(OnboardingPhase.SENDER_DOMAIN_VERIFICATION, results);
  }

  private static CheckResult provider(DomainAuthentication auth, DomainValidation v) {
    String n = "provider-validation";
    List<String> ev = new ArrayList<>();
    for (DomainValidation.RecordResult r : v.records()) {
      ev.add(
          r.record().type()
              + " "
              + r.record().host()
              + ": "
              + (r.valid()
                  ? "valid"
                  : "invalid" + (r.reason().isEmpty() ? "" : ", " + r.reason())));
    }
    return v.valid()
        ? CheckResult.pass(n, "the provider found every record of " + auth.domain(), ev)
        : CheckResult.fail(n, "the provider did not find every record of " + auth.domain(), ev);
  }

  private CheckResult spf(DomainAuthentication auth) {
    String n = "spf";
    String host = auth.returnPathDomain();
    Lookup l = txt(host);
    if (l.answer.status() == Status.FAILED) {
      return CheckResult.review(n, "SPF of " + host + " unchecked", List.of(l.trail()));
    }
    List<String> spf =
        l.values().stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith("v=spf1")).toList();
    List<String> ev = new ArrayList<>(List.of(l.trail()));
    ev.addAll(spf);
    if (spf.isEmpty()) {
      return CheckResult.fail(n, "no SPF record on the return-path domain " + host, ev);
    }
    if (spf.size() > 1) {
      return CheckResult.fail(n, "more than one SPF record on " + host + " (permerror)", ev);
    }
    if (allowsEveryHost(spf.get(0))) {
      return CheckResult.fail(n, "the SPF record of " + host + " allows every host (+all)", ev);
    }
    return CheckResult.pass(n, "SPF published on the return-path domain " + host, ev);
  }

  private CheckResult dkim(DomainAuthentication auth) {
    String n = "dkim";
    List<String> ev = new ArrayList<>();
    Verdict v = Verdict.PASS;
    for (String selector : auth.dkimSelectors()) {
      String host = selector + "._domainkey." + auth.dkimDomain();
      Lookup l = txt(host);
      ev.add(l.trail());
      if (l.answer.status() == Status.FAILED) {
        v = v.worse(Verdict.NEEDS_REVIEW);
        continue;
      }
      boolean key =
          l.values().stream().map(t -> tags(t).get("p")).anyMatch(p -> p != null && !p.isEmpty());
      if (!key) {
        ev.add(host + ": no DKIM public key (p=)");
        v = v.worse(Verdict.FAIL);
      }
    }
    return new CheckResult(
        n,
        v,
        v == Verdict.PASS
            ? "a DKIM key is published for every selector of " + auth.dkimDomain()
            : "a DKIM key of " + auth.dkimDomain() + " is missing or unchecked",
        ev);
  }

  private Optional<Map<String, String>> dmarcTags(String from) {
    for (String host : dmarcHosts(from)) {
      Lookup l = txt(host);
      List<String> records =
          l.values().stream()
              .filter(t -> t.toUpperCase(Locale.ROOT).startsWith("V=DMARC1"))
              .toList();
      if (records.size() == 1) {
        Map<String, String> t = tags(records.get(0));
        t.put("@host", host);
        return Optional.of(t);
      }
      if (records.size() > 1) {
        return Optional.of(Map.of("@host", host, "@error", "more than one DMARC record"));
      }
      if (l.answer.status() == Status.FAILED) {
        return Optional.of(Map.of("@host", host, "@error", "lookup failed: " + l.answer.detail()));
      }
    }
    return Optional.empty();
  }

  private static List<String> dmarcHosts(String from) {
    String org = Domains.organisational(from);
    return org.equals(from)
        ? List.of("_dmarc." + from)
        : List.of("_dmarc." + from, "_dmarc." + org);
  }

  private static CheckResult dmarc(String from, Optional<Map<String, String>> tags) {
    String n = "dmarc";
    if (tags.isEmpty()) {
      return CheckResult.fail(
          n, "no DMARC record for " + from, List.of("looked at " + dmarcHosts(from)));
    }
    Map<String, String> t = tags.get();
    List<String> ev = List.of(t.get("@host") + ": " + withoutInternal(t));
    if (t.containsKey("@error")) {
      return t.get("@error").startsWith("lookup failed")
          ? CheckResult.review(n, "DMARC of " + from + " unchecked: " + t.get("@error"), ev)
          : CheckResult.fail(n, "DMARC of " + from + ": " + t.get("@error"), ev);
    }
    String p = t.getOrDefault("p", "").toLowerCase(Locale.ROOT);
    if (!List.of("none", "quarantine", "reject").contains(p)) {
      return CheckResult.fail(n, "the DMARC record of " + from + " has no valid policy (p=)", ev);
    }
    // a subdomain without a record of its own is judged by the organisational record's sp= when
    // it has one (RFC 7489 6.3), not by its p=
    boolean inherited = !("_dmarc." + from).equals(t.get("@host"));
    String sp = t.getOrDefault("sp", "").toLowerCase(Locale.ROOT);
    String tag = "p";
    if (inherited && List.of("none", "quarantine", "reject").contains(sp)) {
      p = sp;
      tag = "sp";
    }
    return CheckResult.pass(
        n,
        "DMARC policy "
            + tag
            + "="
            + p
            + (p.equals("none") ? " (monitoring only, the minimum bulk senders need)" : ""),
        ev);
  }

  private static CheckResult alignment(
      DomainAuthentication auth, CheckResult spf, CheckResult dkim, Map<String, String> dmarc) {
    String n = "dmarc-alignment";
    boolean strictSpf = "s".equalsIgnoreCase(dmarc.get("aspf"));
    boolean strictDkim = "s".equalsIgnoreCase(dmarc.get("adkim"));
    boolean spfAligned =
        strictSpf
            ? auth.returnPathDomain().equals(auth.domain())
            : Domains.relaxedAligned(auth.returnPathDomain(), auth.domain());
    boolean dkimAligned =
        strictDkim
            ? auth.dkimDomain().equals(auth.domain())
            : Domains.relaxedAligned(auth.dkimDomain(), auth.domain());
    List<String> ev =
        List.of(
            "SPF "
                + spf.verdict()
                + " on "
                + auth.returnPathDomain()
                + ", "
                + (spfAligned ? "aligned" : "not aligned")
                + (strictSpf ? " (strict)" : " (relaxed)"),
            "DKIM "
                + dkim.verdict()
                + " d="
                + auth.dkimDomain()
                + ", "
                + (dkimAligned ? "aligned" : "not aligned")
                + (strictDkim ? " (strict)" : " (relaxed)"));
    boolean ok =
        (spf.verdict() == Verdict.PASS && spfAligned)
            || (dkim.verdict() == Verdict.PASS && dkimAligned);
    return ok
        ? CheckResult.pass(n, "mail from " + auth.domain() + " can pass DMARC", ev)
        : CheckResult.fail(n, "neither SPF nor DKIM passes aligned with " + auth.domain(), ev);
  }

  private static String withoutInternal(Map<String, String> t) {
    Map<String, String> m = new TreeMap<>(t);
    m.keySet().removeIf(k -> k.startsWith("@"));
    return m.toString();
  }

  /** Tags of a DKIM or DMARC record ({@code k=v; k=v}): keys in lower case, values stripped. */
  static Map<String, String> tags(String record) {
    Map<String, String> m = new TreeMap<>();
    for (String part : record.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        m.put(
            part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
      }
    }
    return m;
  }

  private record Lookup(DnsResolver.Answer answer, List<String> path) {
    List<String> values() {
      return answer.status() == Status.FOUND ? answer.values() : List.of();
    }

    String trail() {
      return String.join(" -> ", path)
          + ": "
          + answer.status()
          + (answer.status() == Status.FAILED ? " " + answer.detail() : "");
    }
  }

  /**
   * A lookup, or a failed answer when it cannot be made: a valid domain near DNS's 253-character
   * limit gives names like {@code selector._domainkey.<domain>} beyond it, and the report must say
   * so rather than throw.
   */
  private DnsResolver.Answer resolve(String name, RecordType type) {
    try {
      return dns.resolve(name, type);
    } catch (RuntimeException e) {
      return DnsResolver.Answer.failed(
          "the lookup of "
              + type
              + " at a "
              + name.length()
              + "-character name could not be made ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  /** TXT at {@code host}, following CNAMEs. */
  private Lookup txt(String host) {
    List<String> path = new ArrayList<>();
    String name = host;
    for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      path.add(name);
      DnsResolver.Answer a = resolve(name, RecordType.TXT);
      if (a.status() != Status.NOT_FOUND) {
        return new Lookup(a, path);
      }
      DnsResolver.Answer alias = resolve(name, RecordType.CNAME);
      if (alias.status() != Status.FOUND) {
        return new Lookup(alias.status() == Status.FAILED ? alias : a, path);
      }
      name = alias.values().get(0);
    }
    return new Lookup(DnsResolver.Answer.failed("more than " + MAX_CNAME_HOPS + " CNAMEs"), path);
  }

  /**
   * Whether an SPF record ends by passing every host: an {@code all} mechanism with the qualifier
   * {@code +}, written or not (RFC 7208 4.6.2: no qualifier means {@code +}).
   */
  static boolean allowsEveryHost(String spf) {
    for (String term : spf.trim().toLowerCase(Locale.ROOT).split("\\s+")) {
      if (term.equals("all") || term.equals("+all")) {
        return true;
      }
    }
    return false;
  }
}
