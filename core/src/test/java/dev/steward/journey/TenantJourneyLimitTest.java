package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A tenant's own limit of journeys at once, read on every enrolment, refused when below one. */
class TenantJourneyLimitTest {
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  private static JourneyDefinition journey(String id) {
    return JourneyDefinition.builder(id, 1)
        .step(Step.Send.of("s", "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  @Test
  void aLimitBelowOneIsRefusedNamingTheTenantAndNothingIsEnrolled() {
    int[] limit = {0};
    JourneyKit kit =
        new JourneyKit(
            T0,
            b ->
                b.journey(journey("a"))
                    .journey(journey("b"))
                    .tenantMaxActiveJourneys(t -> OptionalInt.of(limit[0])));
    ContactId c = kit.contact("c1", ZoneOffset.UTC, Map.of());
    assertThatThrownBy(() -> kit.enrol(c, "a"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("tenant '" + JourneyKit.TENANT.value() + "'")
        .hasMessageContaining("was 0");
    assertThat(kit.store.enrolments(JourneyKit.TENANT, c)).isEmpty();
    // a changed setting applies to the next enrolment
    limit[0] = 1;
    assertThat(kit.enrol(c, "a").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(kit.enrol(c, "b").status()).isEqualTo(EnrolResult.Status.TOO_MANY_JOURNEYS);
    limit[0] = 2;
    assertThat(kit.enrol(c, "b").status()).isEqualTo(EnrolResult.Status.ENROLLED);
  }
}
