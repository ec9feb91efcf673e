package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each built-in content check on one point it must catch, and on what it must let pass. */
class ContentChecksTest {
  private static final ReviewContext ACME =
      new ReviewContext(
          "Acme Bakery Ltd", Set.of("acmebakery.example"), Optional.of(UnsubscribeMechanism.GROUP));
  private static final EmailAddress FROM = EmailAddress.of("news@mail.acmebakery.example");

  private static SampleEmail.Builder promo(String subject) {
    return SampleEmail.builder(FROM, subject, MessageKind.PROMOTIONAL)
        .fromName("Acme Bakery")
        .header(
            "List-Unsubscribe", "<https://acmebakery.example/u/1>, <mailto:u@acmebakery.example>")
        .header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .html(
            "<p>Fresh bread.</p><p>Acme Bakery Ltd, 12 Mill Lane, Bristol BS1 4DJ</p>"
                + "<a href=\"https://acmebakery.example/u/1\">Unsubscribe</a>");
  }

  private static CheckResult run(ContentCheck c, SampleEmail e) {
    return c.check(e, ACME);
  }

  @Test
  void aCompletePromotionalSamplePassesEveryCheck() {
    CheckReport r =
        ContentChecks.reviewOne(ContentChecks.defaults(), promo("Fresh bread").build(), ACME);
    assertThat(r.problems()).isEmpty();
    assertThat(r.results()).hasSize(7);
  }

  @Test
  void promotionalMailNeedsRfc8058OneClickHeadersButReceiptsDoNot() {
    SampleEmail noPost =
        SampleEmail.builder(FROM, "Fresh bread", MessageKind.PROMOTIONAL)
            .header("List-Unsubscribe", "<mailto:u@acmebakery.example>")
            .html("<a href=\"https://acmebakery.example/u/1\">Unsubscribe</a>")
            .build();
    CheckResult r = run(ContentChecks.unsubscribe(), noPost);
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.summary())
        .contains("https URL")
        .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        .doesNotContain("link in the body");

    SampleEmail receipt =
        SampleEmail.builder(FROM, "Order 1", MessageKind.TRANSACTIONAL)
            .text("Thanks, Acme Bakery")
            .build();
    assertThat(run(ContentChecks.unsubscribe(), receipt).verdict()).isEqualTo(Verdict.PASS);
    assertThat(run(ContentChecks.postalAddress(), receipt).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void promotionalMailNeedsAPostalAddress() {
    SampleEmail none =
        promo("Fresh bread")
            .html("<p>Acme Bakery</p><a href=\"https://acmebakery.example/u\">Unsubscribe</a>")
            .build();
    assertThat(run(ContentChecks.postalAddress(), none).verdict()).isEqualTo(Verdict.FAIL);
    SampleEmail us =
        promo("x").html("<p>Acme, 500 Harbor Boulevard, Oakland, CA 94607</p>").build();
    assertThat(run(ContentChecks.postalAddress(), us).evidence()).isNotEmpty();
  }

  @Test
  void linksThatAreShortenedBareOrDisguisedFailAndUndeclaredOnesNeedReview() {
    ContentCheck c = ContentChecks.linkDomains();
    assertThat(run(c, promo("x").html("<a href=\"https://bit.ly/abc\">go</a>").build()).evidence())
        .containsExactly("bit.ly: a URL shortener");
    assertThat(
            run(c, promo("x").html("<a href=\"http://198.51.100.2/x\">go</a>").build()).verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(
            run(
                    c,
                    promo("x")
                        .html("<a href=\"https://evil.example/x\">https://acmebakery.example/x</a>")
                        .build())
                .evidence())
        .containsExactly("shows acmebakery.example but goes to evil.example");
    assertThat(
            run(c, promo("x").html("<a href=\"https://partner.example/\">partner</a>").build())
                .verdict())
        .isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(
            run(
                    c,
                    promo("x")
                        .html(
                            "<a href=\"https://shop.acmebakery.example/\">shop</a> <a href=\"https://instagram.com/acme\">ig</a>")
                        .build())
                .verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aShownUnicodeDomainIsComparedInItsAsciiFormSoLookAlikesStillFail() {
    ReviewContext buecher =
        new ReviewContext(
            "Bücher GmbH", Set.of("xn--bcher-kva.de"), Optional.of(UnsubscribeMechanism.GROUP));
    ContentCheck c = ContentChecks.linkDomains();
    java.util.function.Function<String, CheckResult> link =
        html -> c.check(promo("x").html(html).build(), buecher);

    assertThat(
            link.apply("<a href=\"https://xn--bcher-kva.de/a\">https://BÜCHER.de/a</a>").verdict())
        .isEqualTo(Verdict.PASS);
    // a look-alike shown: Cyrillic 'е' in "bücher.dе" is another name in ASCII
    assertThat(
            link.apply("<a href=\"https://xn--bcher-kva.de/a\">https://b\u00fcch\u0435r.de/a</a>")
                .verdict())
        .isEqualTo(Verdict.FAIL);
    assertThat(link.apply("<a href=\"https://evil.example/a\">https://bücher.de/a</a>").evidence())
        .containsExactly("shows xn--bcher-kva.de but goes to evil.example");
    // the tenant's own domain shown bare in Unicode, going elsewhere: disguised
    assertThat(link.apply("<a href=\"https://evil.example/a\">bücher.de/a</a>").evidence())
        .containsExactly("shows xn--bcher-kva.de but goes to evil.example");
    assertThat(link.apply("<a href=\"https://evil.example/a\">www.bücher.de</a>").evidence())
        .containsExactly("shows www.xn--bcher-kva.de but goes to evil.example");
  }

  @Test
  void deceptiveSubjectsFailAndARealReplyDoesNot() {
    ContentCheck c = ContentChecks.deceptiveSubject();
    assertThat(run(c, promo("RE: your order").build()).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(run(c, promo("Fwd: invoice").build()).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(
            run(c, promo("RE: your order").header("In-Reply-To", "<a@b.example>").build())
                .verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(run(c, promo("HUGE SALE ON ALL BREAD").build()).evidence())
        .containsExactly("all caps (18 of 18 letters)");
    assertThat(run(c, promo("Sale?!?").build()).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(run(c, promo("Sale! New loaves!").build()).verdict()).isEqualTo(Verdict.PASS);
    assertThat(run(c, promo("New at the BBC bakery").build()).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void theSpamScoreCountsEachPhraseOnceAndSubjectPhrasesDouble() {
    SampleEmail body = promo("Bread").text("Act now, limited time, click here").build();
    CheckResult r = run(ContentChecks.spamPhrases(5), body);
    assertThat(r.summary()).isEqualTo("spam-phrase score 4 (threshold 5)");
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);

    SampleEmail subject = promo("Act now").text("act now, limited time, click here").build();
    CheckResult s = run(ContentChecks.spamPhrases(5), subject);
    assertThat(s.summary()).isEqualTo("spam-phrase score 6 (threshold 5)");
    assertThat(s.verdict()).isEqualTo(Verdict.FAIL);
    assertThatThrownBy(() -> ContentChecks.spamPhrases(0))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("threshold");
  }

  @Test
  void senderIdentificationWantsTheTenantsDomainAndName() {
    ContentCheck c = ContentChecks.senderIdentification();
    SampleEmail foreign =
        SampleEmail.builder(EmailAddress.of("x@bulk.example"), "Hi", MessageKind.PROMOTIONAL)
            .fromName("Acme Bakery")
            .text("Acme Bakery")
            .build();
    assertThat(run(c, foreign).verdict()).isEqualTo(Verdict.FAIL);
    SampleEmail anonymous =
        SampleEmail.builder(FROM, "Hi", MessageKind.PROMOTIONAL).text("Fresh bread").build();
    assertThat(run(c, anonymous).verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
  }

  @Test
  void aMechanismMustBeChosenForMarketingAndAThrowingCheckNeedsReview() {
    ReviewContext none =
        new ReviewContext("Acme Bakery Ltd", Set.of("acmebakery.example"), Optional.empty());
    assertThat(ContentChecks.unsubscribeMechanism().check(promo("x").build(), none).verdict())
        .isEqualTo(Verdict.FAIL);
    ContentCheck broken =
        new ContentCheck() {
          @Override
          public String name() {
            return "classifier";
          }

          @Override
          public CheckResult check(SampleEmail email, ReviewContext context) {
            throw new IllegalStateException("model not loaded");
          }
        };
    CheckReport r = ContentChecks.review(List.of(broken), List.of(promo("x").build()), ACME);
    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(r.results().get(0).check()).isEqualTo("sample[0] classifier");
  }

  @Test
  void badSamplesAndContextsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> SampleEmail.builder(FROM, "x", MessageKind.PROMOTIONAL).build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("html or a text body");
    assertThatThrownBy(
            () -> SampleEmail.builder(FROM, null, MessageKind.PROMOTIONAL).text("x").build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> new ReviewContext("Acme", Set.of("not_a domain"), Optional.empty()))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("ownDomains[0]");
    assertThatThrownBy(() -> ContentChecks.review(ContentChecks.defaults(), List.of(), ACME))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("samples");
  }
}
