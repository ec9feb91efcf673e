package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A migration's own rules and its check against the two versions; its JSON. */
class JourneyMigrationTest {
  private static final JourneyDefinition V1 = JourneyMigrationContract.v1();
  private static final JourneyDefinition V2 = JourneyMigrationContract.v2();

  private static JourneyDefinition withEventWait(int version, String waitId) {
    return JourneyDefinition.builder("j", version)
        .step(Step.Send.of("welcome", "tpl-w", MessageKind.EDUCATIONAL, "onboarding", waitId))
        .step(
            new Step.WaitForEvent(
                waitId, "opened", Duration.ofDays(2), Optional.of("tips"), Optional.empty()))
        .step(Step.Send.of("tips", "tpl-t", MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  @Test
  void aFittingMappingPasses() {
    JourneyMigrationContract.SAME_WAIT.check(V1, V2);
    assertThat(JourneyMigrationContract.SAME_WAIT.name()).isEqualTo("j v1->v2");
    assertThat(JourneyMigrationContract.SAME_WAIT.target("tips")).contains("tips2");
  }

  @Test
  void aStepTheNewVersionLacksIsRefusedNamingIt() {
    JourneyMigration m =
        JourneyMigration.builder("j", 1, 2)
            .map("welcome", "welcome")
            .map("w", "w")
            .map("tips", "tipz")
            .build();
    assertThatThrownBy(() -> m.check(V1, V2))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("maps step 'tips' to step 'tipz', which version 2 does not have");
  }

  @Test
  void anUnmappedOldStepIsRefusedNamingIt() {
    JourneyMigration m =
        JourneyMigration.builder("j", 1, 2).map("welcome", "welcome").map("tips", "tips2").build();
    assertThatThrownBy(() -> m.check(V1, V2))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("leaves step 'w' of version 1 unmapped");
  }

  @Test
  void anUnknownOldStepIsRefusedNamingIt() {
    JourneyMigration m =
        JourneyMigration.builder("j", 1, 2).sameIds(V1).map("ghost", "welcome").build();
    assertThatThrownBy(() -> m.check(V1, V2))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("maps step 'ghost', which version 1 does not have");
  }

  @Test
  void aWaitForAnEventMappedToASendIsRefusedNamingIt() {
    JourneyDefinition from = withEventWait(1, "open");
    JourneyMigration bad =
        JourneyMigration.builder("j", 1, 2)
            .map("welcome", "welcome")
            .map("open", "welcome")
            .map("tips", "tips2")
            .build();
    assertThatThrownBy(() -> bad.check(from, V2))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining(
            "maps step 'open' (wait for an event) to step 'welcome' (send); an enrolment waiting");
    // to another wait for an event it may move
    JourneyDefinition to = withEventWait(2, "open2");
    JourneyMigration.builder("j", 1, 2)
        .map("welcome", "welcome")
        .map("open", "open2")
        .map("tips", "tips")
        .build()
        .check(from, to);
  }

  @Test
  void theDefinitionsMustBeTheMigrationsVersions() {
    assertThatThrownBy(() -> JourneyMigrationContract.SAME_WAIT.check(V2, V1))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("the old version given is journey j v2");
  }

  @Test
  void badMigrationsAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> JourneyMigration.builder("j", 1, 1).map("a", "b").build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("moves version 1 to itself");
    assertThatThrownBy(() -> JourneyMigration.builder("j", 1, 2).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("maps no steps");
    assertThatThrownBy(() -> JourneyMigration.builder("j", 1, 2).map("a", "b").map("a", "c"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 'a' is mapped twice");
    assertThatThrownBy(() -> JourneyMigration.builder("j", 0, 2).map("a", "b").build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("versions must be at least 1");
  }

  @Test
  void jsonRoundTripsAndIsReadStrictly() {
    JourneyMigration m = JourneyMigrationContract.SAME_WAIT;
    assertThat(JourneyMigration.fromJson(m.toJson())).isEqualTo(m);
    assertThat(
            JourneyMigration.fromJson(
                "{\"journey\":\"j\",\"fromVersion\":1,\"toVersion\":2,"
                    + "\"steps\":{\"w\":\"w\",\"welcome\":\"welcome\",\"tips\":\"tips2\"}}"))
        .isEqualTo(m);
    assertThatThrownBy(
            () ->
                JourneyMigration.fromJson(
                    "{\"journey\":\"j\",\"fromVersion\":1,\"toVersion\":2,\"steps\":{},\"x\":1}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("unknown field 'x'");
    assertThatThrownBy(
            () ->
                JourneyMigration.fromJson(
                    "{\"journey\":\"j\",\"fromVersion\":\"1\",\"toVersion\":2,\"steps\":{}}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("'fromVersion' must be a whole number");
    assertThatThrownBy(
            () ->
                JourneyMigration.fromJson(
                    "{\"journey\":\"j\",\"fromVersion\":1,\"toVersion\":2,"
                        + "\"steps\":{\"a\":\"b\",\"a\":\"c\"}}"))
        .isInstanceOf(InvalidJourneyException.class);
    assertThatThrownBy(
            () -> JourneyMigration.fromJson("{\"journey\":\"j\",\"fromVersion\":1,\"steps\":{}}"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("'toVersion' is missing");
  }

  @Test
  void aMigrationBetweenUnregisteredVersionsIsRefusedBeforeAnythingMoves() {
    JourneyKit kit = new JourneyKit(JourneyMigrationContract.START, b -> b.journey(V1));
    assertThatThrownBy(
            () -> kit.scheduler.migrate(JourneyKit.TENANT, JourneyMigrationContract.SAME_WAIT))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("journey 'j' version 2 is not registered");
  }
}
