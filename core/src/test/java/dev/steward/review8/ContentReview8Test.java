package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.onboarding.CheckResult;
import dev.steward.onboarding.ContentChecks;
import dev.steward.onboarding.ReviewContext;
import dev.steward.onboarding.SampleEmail;
import dev.steward.onboarding.UnsubscribeMechanism;
import dev.steward.onboarding.Verdict;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hostile review of the content checks on obfuscated links. */
class ContentReview8Test {
  private static final ReviewContext ACME =
      new ReviewContext(
          "Acme Bakery Ltd", Set.of("acmebakery.example"), Optional.of(UnsubscribeMechanism.GROUP));
  private static final EmailAddress FROM = EmailAddress.of("news@mail.acmebakery.example");

  private static CheckResult links(String html) {
    SampleEmail e =
        SampleEmail.builder(FROM, "Fresh bread", MessageKind.PROMOTIONAL)
            .fromName("Acme Bakery")
            .html(html)
            .build();
    return ContentChecks.linkDomains().check(e, ACME);
  }

  /**
   * DEFECT: the anchor pattern only sees href values in quotes; an unquoted attribute (valid HTML5,
   * and rendered as a working link by every mail client) to a URL shortener is not seen as a link
   * at all, so the link-domain check passes a shortened link, the one thing it exists to catch.
   * Correct: FAIL with "bit.ly: a URL shortener".
   */
  @Test
  void anUnquotedHrefToAShortenerIsStillCaught() {
    CheckResult r =
        links(
            "<p>Fresh bread.</p><a href=https://bit.ly/3xYzAb>Order now</a>"
                + "<a href=\"https://acmebakery.example/u/1\">Unsubscribe</a>");
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
  }

  /**
   * DEFECT: a link whose text shows the tenant's domain without "www." or a scheme
   * ("acmebakery.example/login") but goes elsewhere is the classic phishing disguise; the check
   * only recognises a shown domain starting with "www." or "http", so it merely asks for review as
   * an undeclared domain. Correct: FAIL, "shows acmebakery.example but goes to evil.example".
   */
  @Test
  void aLinkShowingTheTenantsDomainButGoingElsewhereFails() {
    CheckResult r =
        links("<a href=\"https://login-check.evil.example/x\">acmebakery.example/login</a>");
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(String.join("\n", r.evidence())).contains("shows acmebakery.example");
  }

  /**
   * DEFECT: the HTML "parsing" is quadratic: STYLE ({@code <(style|script)[^>]*>.*?</\1>}) and
   * ANCHOR ({@code <a ...>(.*?)</a>}) rescan to the end of the body for every unclosed opening tag.
   * Measured: 25 KB of "<style>" takes ~0.9 s, 50 KB ~2 s, 100 KB ~10.6 s, so a sample at
   * SampleEmail.MAX_BODY (1,000,000 characters) takes many minutes of CPU. The content of sampled
   * mail is the tenant's (the pilot samples 1 in 500 messages to review), so one tenant can stall
   * the reviewer. Correct: linear-time scanning (find each closing tag once, or bound the lazy
   * match), e.g. 120 KB reviewed in well under 2 s.
   */
  @Test
  void unclosedTagsDoNotMakeTheReviewQuadratic() {
    String html = "<style>".repeat(120 * 1024 / 7);
    SampleEmail e =
        SampleEmail.builder(FROM, "Fresh bread", MessageKind.PROMOTIONAL)
            .fromName("Acme Bakery")
            .html(html)
            .build();
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> ContentChecks.reviewOne(ContentChecks.defaults(), e, ACME));
  }

  private static CheckResult subjectCheck(
      dev.steward.onboarding.ContentCheck check, String subject) {
    SampleEmail e =
        SampleEmail.builder(FROM, subject, MessageKind.PROMOTIONAL)
            .fromName("Acme Bakery")
            .text("Fresh bread every morning.")
            .build();
    return check.check(e, ACME);
  }

  /**
   * DEFECT: the all-caps test counts UTF-16 units with Character.isLetter/isUpperCase(int), which
   * are false for surrogate halves; a subject shouted in Mathematical Bold capitals (U+1D400 block,
   * a common spam trick to dodge filters) has "0 letters" and passes, while the same words in ASCII
   * capitals fail. Correct: count code points (s.codePoints()) so both fail.
   */
  @Test
  void aSubjectShoutedInMathematicalBoldIsStillShouting() {
    String ascii = "FREE MONEY WAITING FOR YOU";
    StringBuilder bold = new StringBuilder();
    ascii
        .codePoints()
        .forEach(cp -> bold.appendCodePoint(cp >= 'A' && cp <= 'Z' ? 0x1D400 + (cp - 'A') : cp));
    assertThat(subjectCheck(ContentChecks.deceptiveSubject(), ascii).verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(subjectCheck(ContentChecks.deceptiveSubject(), bold.toString()).verdict())
        .as(bold.toString())
        .isEqualTo(Verdict.FAIL);
  }

  /**
   * DEFECT: spam phrases are matched on the raw lower-cased text, so the same phrase in fullwidth
   * letters ("ＶＥＲＩＦＹ ＹＯＵＲ ＡＣＣＯＵＮＴ", which renders as the phrase) scores nothing. Correct: fold
   * compatibility characters (NFKC) before matching; the score is that of the ASCII subject.
   */
  @Test
  void aSpamPhraseInFullwidthLettersScoresLikeTheAsciiOne() {
    String ascii = "Verify your account";
    StringBuilder wide = new StringBuilder();
    ascii
        .codePoints()
        .forEach(cp -> wide.appendCodePoint(cp >= '!' && cp <= '~' ? cp - '!' + 0xFF01 : cp));
    CheckResult plain = subjectCheck(ContentChecks.spamPhrases(5), ascii);
    CheckResult disguised = subjectCheck(ContentChecks.spamPhrases(5), wide.toString());
    assertThat(plain.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(disguised.summary()).as(wide.toString()).isEqualTo(plain.summary());
  }
}
