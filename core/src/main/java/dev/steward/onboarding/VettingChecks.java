package dev.steward.onboarding;

import dev.steward.consent.ConsentRecord;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The built-in vetting checks, one per item of the checklist, each a {@link VettingCheck} with the
 * thresholds it applies named as constants. {@link #profileChecks()} is the checklist that needs
 * nothing but the profile; add {@link #blocklists}, {@link #doubleOptInAgainstConsent} and {@link
 * #listQuality} where their data exists.
 */
public final class VettingChecks {
  /** Monthly volume above which a sender with no history needs review. */
  public static final long NEW_SENDER_REVIEW_VOLUME = 100_000;

  /** The longest sunset period accepted without review. */
  public static final Duration LONGEST_SUNSET = Duration.ofDays(365);

  /**
   * The share of consenting contacts that must show a confirmation when double opt-in is declared.
   */
  public static final double DOUBLE_OPT_IN_MIN_CONFIRMED = 0.9;

  /**
   * Hard-bounce rate of pilot sends above which the list is failed: Amazon SES reviews an account
   * at 5% bounces.
   */
  public static final double MAX_PILOT_HARD_BOUNCE_RATE = 0.05;

  /** Unknown-user rate of pilot sends above which the list is failed (a sign of bought lists). */
  public static final double MAX_PILOT_UNKNOWN_USER_RATE = 0.02;

  /** Fewer pilot sends than this say nothing about list quality yet. */
  public static final long MIN_PILOT_SENDS = 200;

  private VettingChecks() {}

  private static VettingCheck named(
      String name, BiFunction<TenantId, TenantProfile, CheckResult> body) {
    return new VettingCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check(TenantId tenant, TenantProfile profile) {
        return body.apply(tenant, profile);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Every check that needs nothing beyond the profile, in checklist order. */
  public static List<VettingCheck> profileChecks() {
    return List.of(
        businessDocuments(),
        volumeAndHistory(),
        kindsOfEmail(),
        doubleOptIn(),
        listSources(),
        acceptableUse(),
        senderDomainConsistency(),
        sunsetPolicy());
  }

  /** Business legitimacy documents are present. */
  public static VettingCheck businessDocuments() {
    String n = "business-documents";
    return named(
        n,
        (t, p) ->
            p.businessDocuments().isEmpty()
                ? CheckResult.fail(n, "no business legitimacy document was given", List.of())
                : CheckResult.pass(
                    n, p.businessDocuments().size() + " document(s) given", p.businessDocuments()));
  }

  /** A large declared volume from a sender with no history needs review. */
  public static VettingCheck volumeAndHistory() {
    String n = "volume-and-history";
    return named(
        n,
        (t, p) -> {
          List<String> ev =
              List.of(
                  "declared monthly volume " + p.declaredMonthlyVolume(),
                  "sending history " + p.sendingHistory());
          if (p.sendingHistory() == SendingHistory.NONE
              && p.declaredMonthlyVolume() > NEW_SENDER_REVIEW_VOLUME) {
            return CheckResult.review(
                n,
                "a sender with no history declares "
                    + p.declaredMonthlyVolume()
                    + " emails a month, over "
                    + NEW_SENDER_REVIEW_VOLUME,
                ev);
          }
          return CheckResult.pass(n, "declared volume fits the sending history", ev);
        });
  }

  /** The kinds of email are declared; promotional mail is noted for the content review. */
  public static VettingCheck kindsOfEmail() {
    String n = "kinds-of-email";
    return named(
        n,
        (t, p) ->
            CheckResult.pass(
                n,
                "sends " + p.kinds(),
                p.kinds().contains(MessageKind.PROMOTIONAL)
                    ? List.of("promotional mail: unsubscribe headers required at content review")
                    : List.of()));
  }

  /** Double opt-in in place where it matters: a tenant sending promotional mail must declare it. */
  public static VettingCheck doubleOptIn() {
    String n = "double-opt-in";
    return named(
        n,
        (t, p) -> {
          if (p.doubleOptIn()) {
            return CheckResult.pass(n, "double opt-in declared", List.of());
          }
          if (p.kinds().contains(MessageKind.PROMOTIONAL)) {
            return CheckResult.fail(
                n, "promotional mail without double opt-in", List.of("kinds " + p.kinds()));
          }
          return CheckResult.pass(
              n, "no double opt-in, but no promotional mail either", List.of("kinds " + p.kinds()));
        });
  }

  /** No purchased, rented or scraped lists; partner-shared lists need review. */
  public static VettingCheck listSources() {
    String n = "list-sources";
    return named(
        n,
        (t, p) -> {
          List<String> forbidden =
              p.listSources().stream()
                  .filter(ListSource::isForbidden)
                  .map(Enum::name)
                  .sorted()
                  .toList();
          List<String> ev = List.of("declared sources " + p.listSources());
          if (!forbidden.isEmpty()) {
            return CheckResult.fail(n, "forbidden list sources declared: " + forbidden, ev);
          }
          if (p.listSources().contains(ListSource.PARTNER_SHARED)) {
            return CheckResult.review(
                n, "partner-shared addresses: the partner's consent must be shown", ev);
          }
          return CheckResult.pass(n, "addresses are collected first-hand", ev);
        });
  }

  /** The acceptable-use policy was accepted. */
  public static VettingCheck acceptableUse() {
    String n = "acceptable-use";
    return named(
        n,
        (t, p) ->
            p.attestation()
                .map(
                    a ->
                        CheckResult.pass(
                            n,
                            "accepted policy " + a.policyVersion(),
                            List.of("signed by " + a.signedBy() + " at " + a.signedAt())))
                .orElseGet(
                    () ->
                        CheckResult.fail(
                            n, "the acceptable-use policy was not accepted", List.of())));
  }

  /**
   * Each sender domain shares its organisational domain with the website. An unrelated domain needs
   * a recorded justification (then passes, citing it); a free-mail domain needs one and a reviewer,
   * since free-mail providers' DMARC policies reject their domain sent from elsewhere.
   */
  public static VettingCheck senderDomainConsistency() {
    String n = "sender-domain";
    return named(
        n,
        (t, p) -> {
          List<String> ev = new ArrayList<>();
          Verdict v = Verdict.PASS;
          Optional<String> why = p.senderDomainJustification();
          for (String d : p.senderDomains()) {
            if (Domains.isFreeMail(d)) {
              ev.add(d + ": free-mail domain");
              v = v.worse(why.isPresent() ? Verdict.NEEDS_REVIEW : Verdict.FAIL);
            } else if (!Domains.relaxedAligned(d, p.websiteDomain())) {
              ev.add(d + ": unrelated to website " + p.websiteDomain());
              v = v.worse(why.isPresent() ? Verdict.PASS : Verdict.FAIL);
            } else {
              ev.add(d + ": same organisation as " + p.websiteDomain());
            }
          }
          why.ifPresent(j -> ev.add("justification: " + j));
          String summary =
              switch (v) {
                case PASS -> "sender domains are consistent with the business";
                case NEEDS_REVIEW -> "a free-mail sender domain is justified; a reviewer decides";
                case FAIL -> "a free-mail or unrelated sender domain has no justification";
              };
          return new CheckResult(n, v, summary, ev);
        });
  }

  /** A sunset policy stops mail to inactive addresses, within {@link #LONGEST_SUNSET}. */
  public static VettingCheck sunsetPolicy() {
    String n = "sunset-policy";
    return named(
        n,
        (t, p) -> {
          if (p.sunsetAfter().isEmpty()) {
            return CheckResult.fail(n, "no sunset policy for inactive addresses", List.of());
          }
          Duration d = p.sunsetAfter().get();
          List<String> ev = List.of("sunset after " + d.toDays() + " days without engagement");
          return d.compareTo(LONGEST_SUNSET) > 0
              ? CheckResult.review(
                  n, "sunset period is longer than " + LONGEST_SUNSET.toDays() + " days", ev)
              : CheckResult.pass(n, "inactive addresses are sunset", ev);
        });
  }

  /**
   * The website, sender and link domains are on none of {@code lists} (on an IP list: none of the
   * IPv4 addresses they resolve to): listed fails; a list that did not answer (127.255.255.x,
   * time-out) leaves the domain unchecked, which needs review and never counts as listed.
   */
  public static VettingCheck blocklists(DnsResolver resolver, List<DnsBlocklist> lists) {
    Checks.notNull("resolver", resolver);
    List<DnsBlocklist> zones = List.copyOf(Checks.notNull("lists", lists));
    if (zones.isEmpty()) {
      throw new InvalidOnboardingInputException("lists must name at least one blocklist");
    }
    String n = "blocklists";
    return named(
        n,
        (t, p) -> {
          Set<String> domains = new LinkedHashSet<>();
          domains.add(p.websiteDomain());
          domains.addAll(p.senderDomains());
          domains.addAll(p.linkDomains());
          return blocklistResult(n, resolver, zones, domains);
        });
  }

  static CheckResult blocklistResult(
      String n, DnsResolver resolver, List<DnsBlocklist> zones, Set<String> domains) {
    List<String> ev = new ArrayList<>();
    Verdict v = Verdict.PASS;
    for (DnsBlocklist zone : zones) {
      for (String d : domains) {
        if (zone.target() == DnsBlocklist.Target.DOMAIN) {
          v = v.worse(lookUp(resolver, zone, d, d, ev));
          continue;
        }
        DnsResolver.Answer a;
        try {
          a = resolver.resolve(d, DnsResolver.RecordType.A);
        } catch (RuntimeException e) {
          v = v.worse(unchecked(d, zone, e, ev));
          continue;
        }
        if (a.status() == DnsResolver.Status.FAILED) {
          ev.add(d + " on " + zone.displayName() + ": UNCHECKED (its address: " + a.detail() + ")");
          v = v.worse(Verdict.NEEDS_REVIEW);
        } else if (a.status() == DnsResolver.Status.NOT_FOUND) {
          ev.add(d + " on " + zone.displayName() + ": no IPv4 address to check");
        } else {
          for (String ip : a.values()) {
            if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
              ev.add(d + " on " + zone.displayName() + ": UNCHECKED (address '" + ip + "')");
              v = v.worse(Verdict.NEEDS_REVIEW);
              continue;
            }
            v = v.worse(lookUp(resolver, zone, ip, d + " (" + ip + ")", ev));
          }
        }
      }
    }
    String summary =
        switch (v) {
          case PASS -> "no domain is on a blocklist";
          case NEEDS_REVIEW -> "some blocklist lookups went unanswered: domains unchecked";
          case FAIL -> "a domain is on a blocklist";
        };
    return new CheckResult(n, v, summary, ev);
  }

  /**
   * One lookup that cannot be made (a name too long for DNS, a resolver that throws) leaves that
   * domain unchecked; it never hides what the other lookups found.
   */
  private static Verdict unchecked(
      String shown, DnsBlocklist zone, RuntimeException e, List<String> ev) {
    ev.add(
        shown
            + " on "
            + zone.displayName()
            + ": UNCHECKED (the lookup could not be made: "
            + e.getClass().getSimpleName()
            + ")");
    return Verdict.NEEDS_REVIEW;
  }

  private static Verdict lookUp(
      DnsResolver resolver, DnsBlocklist zone, String item, String shown, List<String> ev) {
    DnsResolver.Answer a;
    try {
      a = resolver.resolve(zone.queryName(item), DnsResolver.RecordType.A);
    } catch (RuntimeException e) {
      return unchecked(shown, zone, e, ev);
    }
    DnsBlocklist.Listing l = DnsBlocklist.read(a);
    String answer =
        a.status() == DnsResolver.Status.FAILED ? a.detail() : String.valueOf(a.values());
    ev.add(shown + " on " + zone.displayName() + ": " + l + " (" + a.status() + " " + answer + ")");
    return switch (l) {
      case NOT_LISTED -> Verdict.PASS;
      case UNCHECKED -> Verdict.NEEDS_REVIEW;
      case LISTED -> Verdict.FAIL;
    };
  }

  /**
   * The double opt-in declaration against the consent records kept: of the sampled contacts who
   * gave consent, at least {@link #DOUBLE_OPT_IN_MIN_CONFIRMED} must show a confirmation. With no
   * consent records yet the declaration passes unverified (the evidence says so).
   *
   * @param consents the consent store
   * @param sample the contacts of a tenant to look at (e.g. its newest sign-ups)
   */
  public static VettingCheck doubleOptInAgainstConsent(
      ConsentStore consents, Function<TenantId, List<ContactId>> sample) {
    Checks.notNull("consents", consents);
    Checks.notNull("sample", sample);
    String n = "double-opt-in-records";
    return named(
        n,
        (t, p) -> {
          if (!p.doubleOptIn()) {
            return CheckResult.pass(n, "double opt-in not declared: nothing to verify", List.of());
          }
          long consenting = 0;
          long confirmed = 0;
          for (ContactId c : sample.apply(t)) {
            Optional<ContactConsent> cc = consents.find(t, c);
            if (cc.isEmpty()) {
              continue;
            }
            List<ConsentRecord.Action> actions =
                cc.get().records().stream().map(ConsentRecord::action).toList();
            if (actions.contains(ConsentRecord.Action.CONFIRMED)) {
              consenting++;
              confirmed++;
            } else if (actions.contains(ConsentRecord.Action.GRANTED)) {
              consenting++;
            }
          }
          List<String> ev =
              List.of(confirmed + " of " + consenting + " consenting contacts confirmed");
          if (consenting == 0) {
            return CheckResult.pass(
                n, "no consent records kept yet: the declaration is not verified", ev);
          }
          double share = (double) confirmed / consenting;
          return share >= DOUBLE_OPT_IN_MIN_CONFIRMED
              ? CheckResult.pass(n, "consent records show double opt-in", ev)
              : CheckResult.fail(
                  n,
                  String.format(
                      java.util.Locale.ROOT,
                      "double opt-in declared but only %.1f%% of consenting contacts confirmed"
                          + " (at least %.0f%% expected)",
                      share * 100,
                      DOUBLE_OPT_IN_MIN_CONFIRMED * 100),
                  ev);
        });
  }

  /**
   * The declared list quality against the bounces of the first pilot sends: a hard-bounce rate over
   * {@link #MAX_PILOT_HARD_BOUNCE_RATE} or an unknown-user rate over {@link
   * #MAX_PILOT_UNKNOWN_USER_RATE} fails; fewer than {@link #MIN_PILOT_SENDS} sends pass unverified.
   *
   * @param stats the pilot's counts for a tenant, empty before it sent
   */
  public static VettingCheck listQuality(Function<TenantId, Optional<PilotSendStats>> stats) {
    Checks.notNull("stats", stats);
    String n = "list-quality";
    return named(
        n,
        (t, p) -> {
          Optional<PilotSendStats> s = stats.apply(t);
          if (s.isEmpty() || s.get().sent() < MIN_PILOT_SENDS) {
            return CheckResult.pass(
                n,
                "fewer than " + MIN_PILOT_SENDS + " pilot sends: list quality not verified yet",
                s.map(x -> List.of(x.sent() + " sent")).orElse(List.of()));
          }
          PilotSendStats x = s.get();
          List<String> ev =
              List.of(
                  x.sent() + " sent",
                  String.format(
                      java.util.Locale.ROOT,
                      "hard bounces %.2f%% (limit %.2f%%)",
                      x.hardBounceRate() * 100,
                      MAX_PILOT_HARD_BOUNCE_RATE * 100),
                  String.format(
                      java.util.Locale.ROOT,
                      "unknown users %.2f%% (limit %.2f%%)",
                      x.unknownUserRate() * 100,
                      MAX_PILOT_UNKNOWN_USER_RATE * 100));
          if (x.hardBounceRate() > MAX_PILOT_HARD_BOUNCE_RATE
              || x.unknownUserRate() > MAX_PILOT_UNKNOWN_USER_RATE) {
            return CheckResult.fail(n, "pilot bounces contradict the declared list quality", ev);
          }
          return CheckResult.pass(n, "pilot bounces are within limits", ev);
        });
  }

  /**
   * Runs {@code checks} over the profile: a check that throws is recorded as needing review, its
   * failure named.
   */
  public static CheckReport run(List<VettingCheck> checks, TenantId tenant, TenantProfile profile) {
    Checks.notNull("checks", checks);
    Checks.notNull("tenant", tenant);
    Checks.notNull("profile", profile);
    List<CheckResult> results = new ArrayList<>();
    for (VettingCheck c : checks) {
      String name = String.valueOf(c.name());
      try {
        CheckResult r = c.check(tenant, profile);
        results.add(
            r != null ? r : CheckResult.review(name, "the check returned no result", List.of()));
      } catch (RuntimeException e) {
        results.add(
            CheckResult.review(
                name.isBlank() ? c.getClass().getName() : name,
                "the check failed: " + e.getClass().getSimpleName(),
                List.of(String.valueOf(e.getMessage()))));
      }
    }
    return new CheckReport(OnboardingPhase.VETTING, results);
  }
}
