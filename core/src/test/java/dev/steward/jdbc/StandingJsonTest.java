package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Cause;
import dev.steward.governance.HumanOverride;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An override's resumeTo is an optional field: no new format, no migration. */
class StandingJsonTest {
  private static final TenantId T = TenantId.of("acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static String oldDocument(String history) {
    return "{\"format\":1,\"level\":\"WARN\",\"since\":\"2026-03-01T11:00:00Z\","
        + "\"expiresAt\":\"2026-03-02T11:00:00Z\",\"terminationReview\":false,"
        + "\"override\":{\"level\":\"WARN\",\"reason\":\"lift\",\"by\":\"ops\","
        + "\"at\":\"2026-03-01T11:00:00Z\",\"until\":\"2026-03-02T11:00:00Z\"},"
        + "\"history\":["
        + history
        + "]}";
  }

  @Test
  void anOverrideWrittenBeforeResumeToReturnsToTheLevelItsHistoryRecords() {
    String old =
        oldDocument(
            "{\"at\":\"2026-03-01T10:00:00Z\",\"from\":\"NONE\",\"to\":\"TERMINATE\","
                + "\"cause\":\"OVERRIDDEN\",\"explanation\":\"fraud\"},"
                + "{\"at\":\"2026-03-01T11:00:00Z\",\"from\":\"TERMINATE\",\"to\":\"WARN\","
                + "\"cause\":\"OVERRIDDEN\",\"explanation\":\"lift\"}");

    Standing read = StandingJson.read(T, old);

    assertThat(read.override()).map(HumanOverride::resumeTo).contains(Level.TERMINATE);
    assertThat(StandingJson.write(read)).contains("\"resumeTo\":\"TERMINATE\"");
  }

  @Test
  void anOldOverrideWhoseHistoryNoLongerHoldsItsChangeReturnsToNone() {
    String old =
        oldDocument(
            "{\"at\":\"2026-03-01T10:30:00Z\",\"from\":\"WARN\",\"to\":\"WARN\","
                + "\"cause\":\"OVERRIDE_IN_FORCE\",\"explanation\":\"content sample rejected\"}");

    assertThat(StandingJson.read(T, old).override())
        .map(HumanOverride::resumeTo)
        .contains(Level.NONE);
  }

  @Test
  void resumeToRoundTripsWhateverTheHistorySays() {
    HumanOverride o =
        new HumanOverride(
            Level.RESTRICT,
            "notice period",
            "legal",
            T0,
            Optional.of(T0.plusSeconds(3600)),
            Level.TERMINATE);
    Standing s =
        new Standing(
            T,
            Level.RESTRICT,
            T0,
            Optional.of(T0.plusSeconds(3600)),
            Optional.empty(),
            false,
            Optional.of(o),
            List.of(new StandingChange(T0, Level.NONE, Level.WARN, Cause.ESCALATED, "warned")));

    assertThat(StandingJson.read(T, StandingJson.write(s))).isEqualTo(s);
  }
}
