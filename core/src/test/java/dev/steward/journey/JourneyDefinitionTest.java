package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Journey definitions: every step type built, written to JSON and read back equal. */
class JourneyDefinitionTest {

  static JourneyDefinition everyStep() {
    return JourneyDefinition.builder("renewal", 3)
        .team("csm")
        .trigger(new EntryTrigger.Manual())
        .trigger(new EntryTrigger.OnEvent("usage-limit-reached"))
        .trigger(new EntryTrigger.OnDate("renewal", List.of(-90, -60, -30), LocalTime.of(9, 0)))
        .trigger(
            new EntryTrigger.InSegment(
                Condition.and(
                    Condition.eq("plan", "pro"),
                    Condition.not(Condition.compare("seats", Condition.Op.LT, "5")))))
        .reEntry(ReEntry.oncePerDays(300))
        .exitWhen("signed", Condition.eq("renewalSigned", "true"))
        .exitWhen(
            "churned", Condition.or(Condition.eq("status", "churned"), Condition.exists("lost")))
        .step(
            new Step.WaitUntilDate(
                "at-minus-90", "renewal", -90, LocalTime.of(9, 0), Optional.of("value-report")))
        .step(
            new Step.Send(
                "value-report",
                List.of(
                    new Step.Variant("a", "tpl-value-a", 3),
                    new Step.Variant("b", "tpl-value-b", 1)),
                MessageKind.RELATIONSHIP,
                "renewal",
                Channel.EMAIL,
                Priority.HIGH,
                Optional.of("opened")))
        .step(
            new Step.WaitForEvent(
                "opened", "opened", Duration.ofDays(5), Optional.of("tag"), Optional.of("big?")))
        .step(
            new Step.Branch(
                "big?",
                List.of(
                    new Step.Case(Condition.compare("arr", Condition.Op.GE, "100000"), "adoption")),
                Optional.of("pause")))
        .step(new Step.Wait("pause", Duration.ofHours(36), Optional.of("weekday-9")))
        .step(
            new Step.WaitUntilLocalTime(
                "weekday-9",
                LocalTime.of(9, 30),
                Set.of(DayOfWeek.TUESDAY, DayOfWeek.THURSDAY),
                Optional.of("tag")))
        .step(
            new Step.UpdateAttribute("tag", "renewalTouched", Optional.of("yes"), Optional.empty()))
        .step(new Step.EnrolIn("adoption", "adoption", Optional.of("done")))
        .step(new Step.Exit("done", "handed to adoption"))
        .build();
  }

  @Test
  void everyStepTypeRoundTripsThroughJson() {
    JourneyDefinition d = everyStep();
    String json = d.toJson();

    JourneyDefinition back = JourneyDefinition.fromJson(json);

    assertThat(back).isEqualTo(d);
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(back.start()).isEqualTo("at-minus-90");
    assertThat(json).contains("\"type\" : \"waitUntilDate\"").contains("\"offsetDays\" : -90");
  }

  @Test
  void defaultsAreNamed() {
    JourneyDefinition d =
        JourneyDefinition.builder("plain", 1)
            .step(Step.Send.of("hello", "tpl", MessageKind.EDUCATIONAL, "News", null))
            .build();
    assertThat(d.team()).isEqualTo(JourneyDefinition.DEFAULT_TEAM);
    assertThat(d.triggers()).containsExactly(new EntryTrigger.Manual());
    assertThat(d.reEntry()).isEqualTo(ReEntry.onceEver());
    assertThat(d.start()).isEqualTo("hello");
    Step.Send s = (Step.Send) d.steps().get(0);
    assertThat(s.category()).isEqualTo("news");
    assertThat(s.channel()).isEqualTo(Channel.EMAIL);
    assertThat(s.priority()).isEqualTo(Priority.NORMAL);
  }

  @Test
  void conditionsCompareNumbersDatesAndText() {
    var attrs = java.util.Map.of("seats", "12", "renewal", "2026-09-30", "plan", "pro");
    assertThat(Condition.compare("seats", Condition.Op.GT, "9").test(attrs))
        .isTrue(); // not "12" < "9"
    assertThat(Condition.compare("renewal", Condition.Op.LT, "2026-10-01").test(attrs)).isTrue();
    assertThat(Condition.compare("plan", Condition.Op.NE, "pro").test(attrs)).isFalse();
    assertThat(Condition.eq("missing", "x").test(attrs)).isFalse();
    assertThat(Condition.compare("missing", Condition.Op.NE, "x").test(attrs)).isFalse();
    assertThat(Condition.compare("missing", Condition.Op.MISSING, null).test(attrs)).isTrue();
    assertThat(Condition.not(Condition.exists("plan")).test(attrs)).isFalse();
    assertThat(
            Condition.or(Condition.eq("plan", "free"), Condition.eq("seats", "12.0")).test(attrs))
        .isTrue();
  }

  @Test
  void theReadyMadeOnboardingCadenceLoads() {
    JourneyDefinition d = JourneyDefinition.readyMade("onboarding");
    assertThat(d.id()).isEqualTo("onboarding");
    assertThat(d.steps())
        .filteredOn(s -> s instanceof Step.Send)
        .extracting(Step::id)
        .containsExactly(
            "day-1-welcome",
            "day-3-setup-reminder",
            "day-7-webinar-invite",
            "day-14-csm-check-in",
            "check-in-nudge",
            "day-21-success-stories",
            "day-30-review");
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    assertThatThrownBy(() -> JourneyDefinition.readyMade("nope"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("no ready-made journey 'nope'");
  }
}
