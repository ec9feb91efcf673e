package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The human task step: created for its owner, done three ways or overdue, each its own path. */
class HumanTaskStepTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static JourneyDefinition qbr() {
    return JourneyDefinition.builder("qbr", 1)
        .step(
            new Step.HumanTask(
                "invite",
                "qbr-invite",
                Optional.of("tpl-qbr-invite"),
                null,
                Duration.ofDays(2),
                Optional.of("thanks"),
                Optional.of("thanks"),
                Optional.of("declined"),
                Optional.of("fallback")))
        .step(Step.Send.of("thanks", "tpl-thanks", MessageKind.RELATIONSHIP, "csm", null))
        .step(
            new Step.UpdateAttribute("declined", "qbr", Optional.of("declined"), Optional.empty()))
        .step(Step.Send.of("fallback", "tpl-fallback", MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  @Test
  void aTaskIsDoneThreeWaysOrGoesOverdue() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(qbr()));
    ContactId sent = kit.contact("sent", BERLIN, Map.of("csm", "carla"));
    ContactId edited = kit.contact("edited", BERLIN, Map.of("csm", "carla"));
    ContactId dismissed = kit.contact("dismissed", BERLIN, Map.of("csm", "dev"));
    ContactId ignored = kit.contact("ignored", BERLIN, Map.of());
    for (ContactId c : List.of(sent, edited, dismissed, ignored)) {
      kit.enrol(c, "qbr");
    }
    kit.driver.runDue();

    OpenTask task = kit.scheduler.openTasks(TENANT, sent).get(0);
    assertThat(task.task()).isEqualTo("qbr-invite");
    assertThat(task.owner()).contains("carla");
    assertThat(task.template()).contains("tpl-qbr-invite");
    assertThat(task.dueAt()).isEqualTo(Instant.parse("2026-03-04T09:00:00Z"));
    assertThat(kit.scheduler.openTasks(TENANT, ignored).get(0).owner()).isEmpty();
    assertThat(kit.transport.sent()).isEmpty();

    kit.driver.advance(Duration.ofHours(3));
    String sentTask = task.id();
    assertThat(kit.scheduler.completeTask(TENANT, sentTask, TaskOutcome.SENT_AS_SUGGESTED, null))
        .isTrue();
    assertThat(kit.scheduler.completeTask(TENANT, sentTask, TaskOutcome.SENT_EDITED, "again"))
        .as("a repeated report changes nothing")
        .isFalse();
    String editedTask = kit.scheduler.openTasks(TENANT, edited).get(0).id();
    assertThat(kit.scheduler.completeTask(TENANT, editedTask, TaskOutcome.SENT_EDITED, "shorter"))
        .isTrue();
    String dismissedTask = kit.scheduler.openTasks(TENANT, dismissed).get(0).id();
    assertThatThrownBy(
            () -> kit.scheduler.completeTask(TENANT, dismissedTask, TaskOutcome.DISMISSED, " "))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("dismissing task " + dismissedTask + " needs a reason");
    assertThat(
            kit.scheduler.completeTask(
                TENANT, dismissedTask, TaskOutcome.DISMISSED, "QBR held by phone"))
        .isTrue();
    assertThatThrownBy(
            () -> kit.scheduler.completeTask(TENANT, "nonsense", TaskOutcome.DISMISSED, "x"))
        .hasMessage("'nonsense' is not a journey task id");
    kit.runUntil(START.plus(Duration.ofDays(3)), Duration.ofHours(1));

    assertThat(kit.sends())
        .containsExactlyInAnyOrder(
            "sent tpl-thanks 2026-03-02T12:00:00Z",
            "edited tpl-thanks 2026-03-02T12:00:00Z",
            "ignored tpl-fallback 2026-03-04T09:00:00Z");
    assertThat(kit.store.contact(TENANT, dismissed).orElseThrow().attributes())
        .containsEntry("qbr", "declined");
    assertThat(kit.outcomes(kit.only(edited)))
        .containsExactly(
            StepOutcome.ENTERED, StepOutcome.TASK_CREATED, StepOutcome.TASK_DONE, StepOutcome.SENT);
    assertThat(kit.store.history(TENANT, kit.only(edited).id()).get(2).detail())
        .isEqualTo("task " + editedTask + ": SENT_EDITED (shorter)");
    assertThat(kit.outcomes(kit.only(ignored)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.TASK_CREATED,
            StepOutcome.TASK_OVERDUE,
            StepOutcome.SENT);
    assertThat(kit.scheduler.openTasks(TENANT, ignored)).isEmpty();
    assertThat(kit.sentTo(sent)).extracting(Message::templateId).containsExactly("tpl-thanks");
  }

  @Test
  void theTaskStepRoundTripsThroughJsonAndIsValidated() {
    JourneyDefinition d = qbr();
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    assertThat(d.toJson()).contains("\"type\" : \"task\"").contains("\"owner\" : \"csm\"");
    assertThatThrownBy(
            () ->
                new Step.HumanTask(
                    "t",
                    "x",
                    Optional.empty(),
                    null,
                    Duration.ZERO,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 't' gives its task PT0S");
    assertThatThrownBy(
            () -> JourneyDefinition.fromJson(d.toJson().replace("\"onSent\"", "\"onSend\"")))
        .hasMessageContaining("steps[0] (step 'invite'): unknown field 'onSend'");
  }
}
