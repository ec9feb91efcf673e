package dev.steward.onboarding;

import dev.steward.model.MessageKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The built-in content checks (phase 3), each a {@link ContentCheck}. Marketing mail (every kind
 * but {@link MessageKind#TRANSACTIONAL} and {@link MessageKind#OPERATIONAL}) must carry an
 * unsubscribe link, RFC 8058 one-click headers and a postal address; every sample must identify its
 * sender, link only to aligned, unshortened domains, have an honest subject and stay under the
 * spam-phrase threshold. {@link #review} runs a checklist over samples.
 */
public final class ContentChecks {
  /** The spam-phrase score above which a sample fails (phrases in the subject count double). */
  public static final int DEFAULT_SPAM_THRESHOLD = 5;

  /** Link shorteners: they hide where a link goes, and their domains are widely blocklisted. */
  static final Set<String> SHORTENERS =
      Set.of(
          "bit.ly",
          "tinyurl.com",
          "t.co",
          "goo.gl",
          "ow.ly",
          "is.gd",
          "buff.ly",
          "rebrand.ly",
          "cutt.ly",
          "shorturl.at",
          "rb.gy",
          "tiny.cc",
          "bl.ink",
          "s.id",
          "t.ly",
          "v.gd",
          "shorte.st",
          "adf.ly",
          "bitly.com",
          "lnkd.in");

  /** Sites a sender may link to without owning them: social profiles and app stores. */
  static final Set<String> WELL_KNOWN =
      Set.of(
          "facebook.com",
          "instagram.com",
          "twitter.com",
          "x.com",
          "linkedin.com",
          "youtube.com",
          "tiktok.com",
          "pinterest.com",
          "apple.com",
          "google.com",
          "play.google.com",
          "mastodon.social",
          "github.com");

  /** Phrases of spam and phishing, with weights; each counts once. */
  static final Map<String, Integer> SPAM_PHRASES = spamPhrases();

  private static final Pattern ADDRESS =
      Pattern.compile(
          "(\\b\\d{1,5}\\s+([A-Z][a-z]+\\s+){1,4}(Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard"
              + "|Blvd|Way|Drive|Dr|Place|Pl|Square|Sq|Court|Ct|Parkway|Pkwy|Row|Terrace|Close"
              + "|Strasse|Straße|Gasse|Weg)\\b)"
              + "|(\\bP\\.?\\s?O\\.?\\s+Box\\s+\\d+)"
              + "|(\\b[A-Z]{1,2}\\d[A-Z\\d]?\\s\\d[A-Z]{2}\\b)"
              + "|(\\b[A-Z]{2}\\s\\d{5}(-\\d{4})?\\b)"
              + "|(\\b\\d{5}\\s[A-Z][a-zä-ü]+\\b)");

  private ContentChecks() {}

  private static Map<String, Integer> spamPhrases() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("act now", 2);
    m.put("100% free", 3);
    m.put("risk-free", 2);
    m.put("risk free", 2);
    m.put("winner", 2);
    m.put("you have won", 3);
    m.put("you've won", 3);
    m.put("congratulations", 1);
    m.put("click here", 1);
    m.put("limited time", 1);
    m.put("no credit check", 3);
    m.put("earn $", 3);
    m.put("make money", 3);
    m.put("guaranteed", 2);
    m.put("cash bonus", 3);
    m.put("viagra", 5);
    m.put("urgent", 2);
    m.put("verify your account", 4);
    m.put("confirm your password", 4);
    m.put("account will be suspended", 4);
    m.put("account has been suspended", 4);
    m.put("unusual sign-in", 2);
    m.put("update your payment", 3);
    m.put("wire transfer", 3);
    m.put("double your", 3);
    m.put("miracle", 2);
    m.put("lose weight", 3);
    m.put("once in a lifetime", 2);
    m.put("you have been selected", 3);
    m.put("claim your", 2);
    m.put("prize", 2);
    m.put("dear friend", 2);
    m.put("this is not spam", 4);
    m.put("no obligation", 2);
    m.put("cheap meds", 5);
    m.put("crypto profits", 4);
    m.put("investment opportunity", 3);
    m.put("100% guaranteed", 3);
    m.put("gift card", 2);
    m.put("within 24 hours", 2);
    m.put("work from home", 2);
    m.put("free money", 4);
    return Map.copyOf(m);
  }

  private static ContentCheck named(
      String name, BiFunction<SampleEmail, ReviewContext, CheckResult> body) {
    return new ContentCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check(SampleEmail email, ReviewContext context) {
        return body.apply(email, context);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** True for the kinds that are marketing: all but transactional and operational mail. */
  static boolean isMarketing(MessageKind kind) {
    return kind != MessageKind.TRANSACTIONAL && kind != MessageKind.OPERATIONAL;
  }

  /** Every built-in check with the default spam threshold. */
  public static List<ContentCheck> defaults() {
    return List.of(
        unsubscribe(),
        postalAddress(),
        senderIdentification(),
        linkDomains(),
        deceptiveSubject(),
        spamPhrases(DEFAULT_SPAM_THRESHOLD),
        unsubscribeMechanism());
  }

  /**
   * Marketing mail has an unsubscribe link in its body and RFC 8058 one-click unsubscribe: a {@code
   * List-Unsubscribe} header with an https URL and {@code List-Unsubscribe-Post:
   * List-Unsubscribe=One-Click}.
   */
  public static ContentCheck unsubscribe() {
    String n = "unsubscribe";
    return named(
        n,
        (e, c) -> {
          if (!isMarketing(e.kind())) {
            return CheckResult.pass(n, e.kind() + " mail needs no unsubscribe", List.of());
          }
          List<String> missing = new ArrayList<>();
          List<String> ev = new ArrayList<>();
          boolean link =
              Html.links(e).stream()
                  .anyMatch(
                      l -> {
                        String s = (l.href() + " " + l.text()).toLowerCase(Locale.ROOT);
                        return s.contains("unsubscribe")
                            || s.contains("opt-out")
                            || s.contains("opt out")
                            || s.contains("preferences");
                      });
          if (!link) {
            missing.add("an unsubscribe link in the body");
          }
          List<String> targets =
              e.header("List-Unsubscribe").map(Html::angleBracketed).orElse(List.of());
          e.header("List-Unsubscribe").ifPresent(h -> ev.add("List-Unsubscribe: " + h));
          if (targets.stream().noneMatch(t -> t.toLowerCase(Locale.ROOT).startsWith("https://"))) {
            missing.add("a List-Unsubscribe header with an https URL");
          }
          String post = e.header("List-Unsubscribe-Post").orElse("");
          if (!post.replace(" ", "").equalsIgnoreCase("List-Unsubscribe=One-Click")) {
            missing.add("List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058)");
          }
          return missing.isEmpty()
              ? CheckResult.pass(n, "unsubscribe link and one-click headers present", ev)
              : CheckResult.fail(n, "marketing mail lacks " + String.join("; ", missing), ev);
        });
  }

  /** Marketing mail shows a physical postal address (CAN-SPAM). */
  public static ContentCheck postalAddress() {
    String n = "postal-address";
    return named(
        n,
        (e, c) -> {
          if (!isMarketing(e.kind())) {
            return CheckResult.pass(n, e.kind() + " mail needs no postal address", List.of());
          }
          var m = ADDRESS.matcher(e.visibleText());
          return m.find()
              ? CheckResult.pass(n, "postal address shown", List.of(m.group().strip()))
              : CheckResult.fail(n, "no physical postal address found", List.of());
        });
  }

  /**
   * The From domain is the tenant's, and the From name or the body names the business; a From name
   * that names another organisation's domain is refused.
   */
  public static ContentCheck senderIdentification() {
    String n = "sender-identification";
    return named(
        n,
        (e, c) -> {
          List<String> ev = new ArrayList<>();
          ev.add("From " + e.fromName().map(s -> "\"" + s + "\" ").orElse("") + e.from().domain());
          if (!c.isOwn(e.from().domain())) {
            return CheckResult.fail(
                n, "the From domain " + e.from().domain() + " is not the tenant's", ev);
          }
          String named = (e.fromName().orElse("") + " " + e.visibleText()).toLowerCase(Locale.ROOT);
          if (!identifies(c.businessName(), named)) {
            return CheckResult.review(
                n, "neither the From name nor the body names " + c.businessName(), ev);
          }
          return CheckResult.pass(n, "the sender is identified as " + c.businessName(), ev);
        });
  }

  private static final Set<String> LEGAL_FORMS =
      Set.of("ltd", "limited", "inc", "llc", "gmbh", "plc", "co", "corp", "sa", "ag", "bv", "the");

  /**
   * True when {@code text} (lower case) names the business: its whole name without the legal form,
   * or its first word (the brand a business usually goes by, "Tidepool" of "Tidepool Software Inc")
   * when that word has three or more letters.
   */
  static boolean identifies(String businessName, String text) {
    List<String> words = new ArrayList<>();
    for (String w : businessName.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && !LEGAL_FORMS.contains(w)) {
        words.add(w);
      }
    }
    if (words.isEmpty()) {
      return false;
    }
    if (text.contains(String.join(" ", words))) {
      return true;
    }
    String first = words.get(0);
    return first.length() >= 3
        && Pattern.compile("\\b" + Pattern.quote(first) + "\\b").matcher(text).find();
  }

  /**
   * Links go to the tenant's own domains (or well-known social sites), over http(s), not through a
   * shortener nor to a bare IP address, and no link shows one domain while going to another.
   */
  public static ContentCheck linkDomains() {
    String n = "link-domains";
    return named(
        n,
        (e, c) -> {
          Verdict v = Verdict.PASS;
          Set<String> ev = new LinkedHashSet<>();
          for (Html.Link l : Html.links(e)) {
            if (l.href().toLowerCase(Locale.ROOT).startsWith("mailto:")) {
              continue;
            }
            var host = Html.host(l.href());
            if (host.isEmpty()) {
              ev.add("not an http(s) link: " + l.href());
              v = v.worse(Verdict.NEEDS_REVIEW);
              continue;
            }
            String h = host.get();
            if (h.matches("[0-9.]+") || h.startsWith("[")) {
              ev.add(h + ": a bare IP address");
              v = v.worse(Verdict.FAIL);
            } else if (Domains.problem(h).isPresent()) {
              ev.add(h + ": not a valid domain");
              v = v.worse(Verdict.FAIL);
            } else if (SHORTENERS.contains(h) || SHORTENERS.contains(Domains.organisational(h))) {
              ev.add(h + ": a URL shortener");
              v = v.worse(Verdict.FAIL);
            } else {
              var shown =
                  Html.host(l.text().strip())
                      .or(() -> shownDomain(l.text()))
                      .or(() -> shownOwnDomain(l.text(), c))
                      // in ASCII, as the href names it: the evidence shows a look-alike's punycode
                      .map(ContentChecks::ascii);
              if (shown.isPresent() && !Domains.relaxedAligned(shown.get(), h)) {
                ev.add("shows " + shown.get() + " but goes to " + h);
                v = v.worse(Verdict.FAIL);
              } else if (!c.isOwn(h) && !WELL_KNOWN.contains(Domains.organisational(h))) {
                ev.add(h + ": not one of the tenant's domains");
                v = v.worse(Verdict.NEEDS_REVIEW);
              }
            }
          }
          String summary =
              switch (v) {
                case PASS -> "every link goes to the tenant's domains";
                case NEEDS_REVIEW -> "some links go to domains the tenant did not declare";
                case FAIL -> "links are shortened, go to bare addresses or disguise their target";
              };
          return new CheckResult(n, v, summary, List.copyOf(ev));
        });
  }

  /**
   * A link text that is one of the tenant's own domains, bare ({@code acmebakery.example/login}):
   * the classic disguise when the link goes elsewhere. Only the tenant's domains are read this way,
   * so a text such as {@code report.pdf} is never taken for a domain.
   */
  private static java.util.Optional<String> shownOwnDomain(String text, ReviewContext c) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
      return java.util.Optional.empty();
    }
    String first = ascii(t.split("[/?#]")[0]);
    return Domains.problem(first).isEmpty() && c.isOwn(first)
        ? java.util.Optional.of(first)
        : java.util.Optional.empty();
  }

  private static java.util.Optional<String> shownDomain(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("www.")) {
      String first = ascii(t.split("[/\\s]")[0]);
      if (Domains.problem(first).isEmpty()) {
        return java.util.Optional.of(first);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * A domain as a link's text shows it, in the ASCII form DNS and hrefs use ({@code
   * xn--bcher-kva.de} for {@code bücher.de}), lower case; as it is when IDNA refuses it (then it
   * matches no valid domain). A look-alike keeps failing: its ASCII form is another name.
   */
  private static String ascii(String shown) {
    try {
      return java.net.IDN.toASCII(shown, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return shown;
    }
  }

  private static final Pattern FAKE_REPLY =
      Pattern.compile("^\\s*(re|fw|fwd|aw|wg)\\s*:", Pattern.CASE_INSENSITIVE);

  /**
   * The subject is honest: no RE:/FWD: prefix on mail that replies to nothing (no In-Reply-To or
   * References header), not shouted (at least 70% of 10 or more letters upper case), and no
   * excessive punctuation (three or more '!' or '?' in all, or '$$').
   */
  public static ContentCheck deceptiveSubject() {
    String n = "deceptive-subject";
    return named(
        n,
        (e, c) -> {
          // compatibility-folded first, so that letters dressed as others (mathematical bold,
          // fullwidth) read as the letters they show; counted by code point, not UTF-16 unit
          String s = folded(e.subject());
          List<String> ev = new ArrayList<>();
          if (FAKE_REPLY.matcher(s).find()
              && e.header("In-Reply-To").isEmpty()
              && e.header("References").isEmpty()) {
            ev.add("a reply or forward prefix on mail that replies to nothing");
          }
          long letters = s.codePoints().filter(Character::isLetter).count();
          long upper = s.codePoints().filter(Character::isUpperCase).count();
          if (letters >= 10 && upper * 10 >= letters * 7) {
            ev.add("all caps (" + upper + " of " + letters + " letters)");
          }
          long marks = s.chars().filter(ch -> ch == '!' || ch == '?').count();
          if (marks >= 3 || s.contains("$$")) {
            ev.add("excessive punctuation (" + marks + " of '!' and '?')");
          }
          return ev.isEmpty()
              ? CheckResult.pass(n, "the subject is plain", List.of())
              : CheckResult.fail(n, "the subject is deceptive: " + String.join("; ", ev), ev);
        });
  }

  /**
   * The weighted spam phrases found (each once; in the subject twice its weight) add up to at most
   * {@code threshold}.
   */
  public static ContentCheck spamPhrases(int threshold) {
    if (threshold < 1) {
      throw new InvalidOnboardingInputException("threshold must be at least 1, was " + threshold);
    }
    String n = "spam-phrases";
    return named(
        n,
        (e, c) -> {
          String subject = folded(e.subject()).toLowerCase(Locale.ROOT);
          String body = folded(e.visibleText()).toLowerCase(Locale.ROOT);
          int score = 0;
          List<String> ev = new ArrayList<>();
          for (Map.Entry<String, Integer> p : new java.util.TreeMap<>(SPAM_PHRASES).entrySet()) {
            if (subject.contains(p.getKey())) {
              score += 2 * p.getValue();
              ev.add("'" + p.getKey() + "' in the subject: " + 2 * p.getValue());
            } else if (body.contains(p.getKey())) {
              score += p.getValue();
              ev.add("'" + p.getKey() + "': " + p.getValue());
            }
          }
          String summary = "spam-phrase score " + score + " (threshold " + threshold + ")";
          return score > threshold
              ? CheckResult.fail(n, summary, ev)
              : CheckResult.pass(n, summary, ev);
        });
  }

  /** Marketing mail needs an unsubscribe mechanism chosen (global, group or custom). */
  public static ContentCheck unsubscribeMechanism() {
    String n = "unsubscribe-mechanism";
    return named(
        n,
        (e, c) -> {
          if (c.mechanism().isPresent()) {
            return CheckResult.pass(n, "unsubscribe mechanism " + c.mechanism().get(), List.of());
          }
          return isMarketing(e.kind())
              ? CheckResult.fail(
                  n, "no unsubscribe mechanism chosen (GLOBAL, GROUP or CUSTOM)", List.of())
              : CheckResult.pass(n, e.kind() + " mail needs no unsubscribe mechanism", List.of());
        });
  }

  /**
   * Runs {@code checks} over one sample: a check that throws is recorded as needing review. The
   * results are named {@code <check>}.
   */
  public static CheckReport reviewOne(
      List<ContentCheck> checks, SampleEmail email, ReviewContext context) {
    Checks.notNull("checks", checks);
    Checks.notNull("email", email);
    Checks.notNull("context", context);
    List<CheckResult> results = new ArrayList<>();
    for (ContentCheck c : checks) {
      String name = String.valueOf(c.name());
      try {
        CheckResult r = c.check(email, context);
        results.add(
            r != null ? r : CheckResult.review(name, "the check returned no result", List.of()));
      } catch (RuntimeException ex) {
        results.add(
            CheckResult.review(
                name,
                "the check failed: " + ex.getClass().getSimpleName(),
                List.of(String.valueOf(ex.getMessage()))));
      }
    }
    return new CheckReport(OnboardingPhase.CONTENT_REVIEW, results);
  }

  /**
   * Runs {@code checks} over every sample; each result is named {@code sample[i] <check>}. At least
   * one sample is required.
   */
  public static CheckReport review(
      List<ContentCheck> checks, List<SampleEmail> samples, ReviewContext context) {
    Checks.notNull("samples", samples);
    if (samples.isEmpty()) {
      throw new InvalidOnboardingInputException("samples must hold at least one sample email");
    }
    List<CheckResult> all = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (CheckResult r : reviewOne(checks, samples.get(i), context).results()) {
        all.add(
            new CheckResult(
                "sample[" + i + "] " + r.check(), r.verdict(), r.summary(), r.evidence()));
      }
    }
    return new CheckReport(OnboardingPhase.CONTENT_REVIEW, all);
  }

  /** Text in Unicode's compatibility form (NFKC): fullwidth and styled letters become plain. */
  static String folded(String text) {
    return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
  }
}
