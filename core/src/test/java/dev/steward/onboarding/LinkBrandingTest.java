package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkBrandingTest {
  private static final TenantId ACME = TenantId.of("acme");

  @Test
  void theDefaultSaysItIsNotConfigured() {
    LinkBranding none = LinkBranding.NOT_CONFIGURED;
    assertThat(none.configured()).isFalse();
    assertThat(none.find(ACME, "1")).isEmpty();
    assertThatThrownBy(() -> none.create(ACME, "acme.example"))
        .isInstanceOf(LinkBrandingNotConfiguredException.class)
        .hasMessageContaining("link branding is not configured");
    assertThatThrownBy(() -> none.validate(ACME, "1"))
        .isInstanceOf(LinkBrandingNotConfiguredException.class);
  }

  @Test
  void brandedLinksNeedRecordsAndNormaliseTheirNames() {
    DomainAuthentication.DnsRecord r =
        new DomainAuthentication.DnsRecord(
            DnsResolver.RecordType.CNAME, "URL1.Acme.Example.", "sendgrid.net");
    BrandedLinks b =
        new BrandedLinks("9", ACME, "Acme.Example", "url1.acme.example", List.of(r), false);
    assertThat(b.domain()).isEqualTo("acme.example");
    assertThat(b.records().get(0).host()).isEqualTo("url1.acme.example");
    assertThatThrownBy(
            () ->
                new BrandedLinks("9", ACME, "acme.example", "url1.acme.example", List.of(), false))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("has no records");
  }
}
