package dev.steward.review10;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.onboarding.CheckResult;
import dev.steward.onboarding.ContentChecks;
import dev.steward.onboarding.ReviewContext;
import dev.steward.onboarding.SampleEmail;
import dev.steward.onboarding.UnsubscribeMechanism;
import dev.steward.onboarding.Verdict;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The organisational domain is derived from ASCII (punycode) names: the Public Suffix List's
 * Unicode rules are converted "as the names checked are". The domain a link's text shows is not
 * converted, so an honest link to the tenant's own IDN domain, whose text shows the name as people
 * read it and whose href carries its punycode (as mail editors and browsers write it), fails as a
 * disguised link.
 */
class IdnLinkReview10Test {
  // bücher.de
  private static final String OWN = "xn--bcher-kva.de";
  private static final ReviewContext TENANT =
      new ReviewContext("Bücher GmbH", Set.of(OWN), Optional.of(UnsubscribeMechanism.GROUP));

  @Test
  void aLinkShowingTheTenantsOwnDomainInUnicodeIsNotADisguisedLink() {
    SampleEmail e =
        SampleEmail.builder(
                EmailAddress.of("news@" + OWN), "Neue Bücher im März", MessageKind.PROMOTIONAL)
            .fromName("Bücher GmbH")
            .html(
                "<p>Unsere Angebote: <a href=\"https://"
                    + OWN
                    + "/angebote\">https://bücher.de/angebote</a></p>")
            .build();

    CheckResult r = ContentChecks.linkDomains().check(e, TENANT);

    assertThat(r.verdict()).as("%s", r.evidence()).isEqualTo(Verdict.PASS);
  }
}
