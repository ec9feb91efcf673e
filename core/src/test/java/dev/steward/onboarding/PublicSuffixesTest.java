package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public suffix algorithm on a small list, and the shipped list on names that matter. */
class PublicSuffixesTest {

  private static PublicSuffixes list(String text) throws Exception {
    return PublicSuffixes.parse(new BufferedReader(new StringReader(text)));
  }

  @Test
  void theLongestRuleWinsAWildcardTakesOneLabelAndAnExceptionPrevails() throws Exception {
    PublicSuffixes l =
        list(
            String.join(
                "\n",
                "// a comment",
                "",
                "com",
                "uk",
                "co.uk  trailing words are ignored",
                "*.ck",
                "!www.ck",
                "jp",
                "*.kawasaki.jp",
                "!city.kawasaki.jp",
                "公司.cn"));
    assertThat(l.registrable("www.example.com")).isEqualTo("example.com");
    assertThat(l.registrable("a.b.example.co.uk")).isEqualTo("example.co.uk");
    assertThat(l.registrable("co.uk")).as("a suffix has nothing registrable").isEqualTo("co.uk");
    assertThat(l.publicSuffix("shop.co.uk")).isEqualTo("co.uk");
    assertThat(l.publicSuffix("a.b.ck")).as("wildcard").isEqualTo("b.ck");
    assertThat(l.registrable("x.a.b.ck")).isEqualTo("a.b.ck");
    assertThat(l.registrable("x.www.ck")).as("exception").isEqualTo("www.ck");
    assertThat(l.publicSuffix("www.ck")).isEqualTo("ck");
    assertThat(l.registrable("x.y.nagoya.kawasaki.jp")).isEqualTo("y.nagoya.kawasaki.jp");
    assertThat(l.registrable("a.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
    assertThat(l.registrable("a.b.unlisted")).as("the default rule *").isEqualTo("b.unlisted");
    assertThat(l.registrable("shop.xn--55qx5d.cn"))
        .as("a Unicode rule matches its ASCII form")
        .isEqualTo("shop.xn--55qx5d.cn");
    assertThat(l.registrable("example")).isEqualTo("example");
  }

  @ParameterizedTest
  @CsvSource({
    "www.bakery.co.at, bakery.co.at",
    "attacker.co.at, attacker.co.at",
    "co.at, co.at",
    "news.example.com, example.com",
    "a.b.c.example.co.uk, example.co.uk",
    "mail.example.com.au, example.com.au",
    "x.school.sch.uk, x.school.sch.uk",
    "a.city.kawasaki.jp, city.kawasaki.jp",
    "tenant-a.herokuapp.com, tenant-a.herokuapp.com",
    "em123.acme.example, acme.example",
    "bounces.acme.io, acme.io"
  })
  void theShippedListGivesTheRegistrableDomain(String domain, String registrable) {
    assertThat(PublicSuffixes.shipped().registrable(domain)).isEqualTo(registrable);
  }

  @Test
  void relaxedAlignmentFollowsTheList() {
    assertThat(Domains.relaxedAligned("bakery.co.at", "attacker.co.at")).isFalse();
    assertThat(Domains.relaxedAligned("news.bakery.co.at", "bakery.co.at")).isTrue();
    assertThat(Domains.relaxedAligned("a.herokuapp.com", "b.herokuapp.com")).isFalse();
    assertThat(Domains.relaxedAligned("em.acme.com", "ACME.com.")).isTrue();
    assertThat(Domains.relaxedAligned("acme.com.br", "evil.com.br")).isFalse();
    assertThat(Domains.isFreeMail("mail.yahoo.co.uk")).isTrue();
  }
}
