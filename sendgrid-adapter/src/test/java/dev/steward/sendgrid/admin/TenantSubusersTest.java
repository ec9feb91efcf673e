package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two tenants never act as one subuser: not by the same name, not by names apart only in case. */
class TenantSubusersTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  @Test
  void aFixedMapRefusesOneUsernameForTwoTenants() {
    assertThatThrownBy(() -> TenantSubusers.of(Map.of(ACME, "shared", GLOBEX, "shared")))
        .isInstanceOf(SubuserConflictException.class)
        .hasMessageContaining("tenants 'acme' and 'globex' would share a SendGrid subuser")
        .hasMessageContaining("both are 'shared'");
  }

  @Test
  void aFixedMapRefusesUsernamesApartOnlyInCase() {
    assertThatThrownBy(() -> TenantSubusers.of(Map.of(ACME, "Tenant-X", GLOBEX, "tenant-x")))
        .isInstanceOf(SubuserConflictException.class)
        .hasMessageContaining("'Tenant-X' and 'tenant-x' differ only in case");
  }

  @Test
  void distinctNamesAreKept() {
    TenantSubusers s = TenantSubusers.of(Map.of(ACME, "tenant-acme", GLOBEX, "tenant-globex"));
    assertThat(s.subuserOf(ACME)).contains("tenant-acme");
    assertThat(s.subuserOf(GLOBEX)).contains("tenant-globex");
    assertThat(s.subuserOf(TenantId.of("initech"))).isEmpty();
  }

  @Test
  void aPrefixRefusesATenantIdThatOnlyCaseTellsFromAnother() {
    TenantSubusers s = TenantSubusers.prefixed("tenant-");
    assertThat(s.subuserOf(ACME)).contains("tenant-acme");
    assertThatThrownBy(() -> s.subuserOf(TenantId.of("Acme")))
        .isInstanceOf(SubuserConflictException.class)
        .hasMessageContaining("tenant 'Acme' would be subuser 'tenant-Acme'")
        .hasMessageContaining("'tenant-acme'");
  }
}
