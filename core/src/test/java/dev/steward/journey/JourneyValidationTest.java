package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bad definitions are refused with messages that name the step (or the JSON path). */
class JourneyValidationTest {

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  private static Step wait(String id, String next) {
    return new Step.Wait(id, Duration.ofDays(1), Optional.ofNullable(next));
  }

  private static JourneyDefinition.Builder journey() {
    return JourneyDefinition.builder("j", 1);
  }

  @Test
  void unknownStepReferenceNamesTheStepAndTheTarget() {
    assertThatThrownBy(() -> journey().step(send("a", "b")).step(wait("b", "nowhere")).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("journey 'j': step 'b' leads to 'nowhere', which is not one of its steps");
  }

  @Test
  void unknownStartStep() {
    assertThatThrownBy(() -> journey().start("zz").step(send("a", null)).build())
        .hasMessage("journey 'j': the start step 'zz' is not one of its steps");
  }

  @Test
  void unreachableStepIsNamed() {
    assertThatThrownBy(() -> journey().step(send("a", null)).step(send("orphan", null)).build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("journey 'j': step 'orphan' is unreachable from the start step 'a'");
  }

  @Test
  void aCycleWithoutAWaitIsRefusedAndOneWithAWaitIsNot() {
    assertThatThrownBy(
            () ->
                journey()
                    .step(send("a", "b"))
                    .step(
                        new Step.Branch(
                            "b",
                            List.of(new Step.Case(Condition.eq("x", "1"), "c")),
                            Optional.of("a")))
                    .step(new Step.UpdateAttribute("c", "x", Optional.of("2"), Optional.of("a")))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 'a' is on a cycle with no wait (a -> b -> c -> a)");

    JourneyDefinition ok =
        journey()
            .step(send("a", "b"))
            .step(wait("b", "c"))
            .step(
                new Step.Branch(
                    "c", List.of(new Step.Case(Condition.eq("x", "1"), "a")), Optional.empty()))
            .build();
    assertThat(ok.steps()).hasSize(3);
  }

  @Test
  void aWaitUntilDateDoesNotCountAsAWaitForCycles() {
    // its date may have passed, so the loop could spin
    assertThatThrownBy(
            () ->
                journey()
                    .step(send("a", "d"))
                    .step(
                        new Step.WaitUntilDate(
                            "d", "renewal", -7, LocalTime.NOON, Optional.of("a")))
                    .build())
        .hasMessageContaining("on a cycle with no wait (a -> d -> a)");
  }

  @Test
  void duplicateStepIds() {
    assertThatThrownBy(() -> journey().step(send("a", null)).step(send("a", null)).build())
        .hasMessage("journey 'j': step 'a' is defined twice");
  }

  @Test
  void unknownEventTypeNamesTheStep() {
    assertThatThrownBy(
            () ->
                new Step.WaitForEvent(
                    "day-3", "opned", Duration.ofDays(1), Optional.empty(), Optional.empty()))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage(
            "step 'day-3' waits for event 'opned': unknown event type; use opened, clicked,"
                + " replied or custom:<name>");
    assertThat(
            new Step.WaitForEvent(
                    "w",
                    "Custom:Webinar-Attended",
                    Duration.ofDays(1),
                    Optional.empty(),
                    Optional.empty())
                .event())
        .isEqualTo("custom:webinar-attended");
  }

  @Test
  void impossibleOffsetsAndDurations() {
    assertThatThrownBy(() -> new Step.WaitUntilDate("r", "renewal", -40000, null, Optional.empty()))
        .hasMessage(
            "step 'r' has the offset -40000 days; offsets lie within 3660 days of the date");
    assertThatThrownBy(
            () -> new EntryTrigger.OnDate("renewal", List.of(-90, 99999), LocalTime.of(9, 0)))
        .hasMessageContaining("the date trigger on 'renewal' has the offset 99999 days");
    assertThatThrownBy(() -> new Step.Wait("w", Duration.ofDays(-1), Optional.empty()))
        .hasMessageContaining("step 'w' waits PT-24H");
    assertThatThrownBy(() -> new Step.Wait("w", Duration.ZERO, Optional.empty()))
        .hasMessageContaining("step 'w' waits PT0S");
    assertThatThrownBy(
            () ->
                new Step.WaitForEvent(
                    "e", "opened", Duration.ZERO, Optional.empty(), Optional.empty()))
        .hasMessageContaining("step 'e' times out after PT0S");
    assertThatThrownBy(() -> ReEntry.oncePerDays(0)).hasMessageContaining("once per 0 days");
  }

  @Test
  void variantsAndEnrolTargets() {
    assertThatThrownBy(() -> new Step.Variant("a", "t", 0))
        .hasMessage("variant 'a' has weight 0; weights must be at least 1");
    assertThatThrownBy(
            () ->
                new Step.Send(
                    "s",
                    List.of(new Step.Variant("a", "t", 1), new Step.Variant("a", "u", 1)),
                    MessageKind.EDUCATIONAL,
                    "x",
                    null,
                    null,
                    Optional.empty()))
        .hasMessage("step 's' has the variant 'a' twice");
    assertThatThrownBy(
            () -> journey().step(new Step.EnrolIn("again", "j", Optional.empty())).build())
        .hasMessage("journey 'j': step 'again' enrols in its own journey");
  }

  @Test
  void badJsonNamesThePath() {
    String good = JourneyDefinitionTest.everyStep().toJson();

    assertThatThrownBy(() -> JourneyDefinition.fromJson(good.replace("\"PT120H\"", "\"5 days\"")))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage(
            "journey 'renewal' JSON: steps[2] (step 'opened').timeout: '5 days' is not an ISO-8601"
                + " duration such as P2D or PT12H");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    good.replace("\"next\" : \"opened\"", "\"nxt\" : \"opened\"")))
        .hasMessageStartingWith(
            "journey 'renewal' JSON: steps[1] (step 'value-report'): unknown field 'nxt'");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    good.replace("\"event\" : \"opened\"", "\"event\" : \"opned\"")))
        .hasMessageContaining(
            "journey 'renewal' JSON: steps[2]: step 'opened' waits for event 'opned'");
    assertThatThrownBy(
            () -> JourneyDefinition.fromJson(good.replace("\"op\" : \"ge\"", "\"op\" : \">=\"")))
        .hasMessageContaining("steps[3] (step 'big?').cases[0].when.op: unknown operator '>='");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    good.replace("\"kind\" : \"RELATIONSHIP\"", "\"kind\" : \"SALESY\"")))
        .hasMessageContaining("steps[1] (step 'value-report').kind: 'SALESY' is not one of");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    good.replace("\"type\" : \"exit\"", "\"type\" : \"quit\"")))
        .hasMessageContaining("steps[8] (step 'done').type: unknown step type 'quit'");
    assertThatThrownBy(() -> JourneyDefinition.fromJson("{\"id\": \"j\", \"version\": 1}"))
        .hasMessage("journey 'j' JSON: 'steps' is missing");
    assertThatThrownBy(() -> JourneyDefinition.fromJson("{\"id\": \"a\", \"id\": \"b\"}"))
        .hasMessageContaining("journey JSON has the key 'id' twice")
        .hasMessageNotContaining("com.fasterxml");
    assertThatThrownBy(() -> JourneyDefinition.fromJson("{\"id\": \"a\", "))
        .hasMessageStartingWith("journey JSON is malformed")
        .hasMessageNotContaining("com.fasterxml")
        .hasMessageNotContaining("Source:");
    assertThatThrownBy(() -> JourneyDefinition.fromJson("[]"))
        .hasMessage("journey JSON must be an object");
    assertThatThrownBy(
            () -> JourneyDefinition.fromJson(good.replace("\"format\" : 1", "\"format\" : 2")))
        .hasMessageContaining("format 2 is not supported");
  }

  @Test
  void aValidationErrorFromJsonNamesTheStep() {
    String json =
        "{\"id\": \"j\", \"version\": 1, \"steps\": ["
            + "{\"id\": \"a\", \"type\": \"send\", \"template\": \"t\", \"kind\": \"EDUCATIONAL\","
            + " \"category\": \"c\", \"next\": \"b\"},"
            + "{\"id\": \"b\", \"type\": \"branch\", \"cases\": [{\"when\": {\"attribute\": \"x\","
            + " \"op\": \"exists\"}, \"next\": \"a\"}]}]}";
    assertThatThrownBy(() -> JourneyDefinition.fromJson(json))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("journey 'j': step 'a' is on a cycle with no wait (a -> b -> a)");
  }
}
