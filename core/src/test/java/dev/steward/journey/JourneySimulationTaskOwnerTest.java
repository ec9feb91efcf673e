package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Simulated task owners: each owner (by the contact's owner attribute) completes its tasks after
 * its delay as its weights draw, through the task store as production does, so a journey with a
 * human task branches by the outcome; ignored tasks escalate and run overdue.
 */
class JourneySimulationTaskOwnerTest {
  private static final TenantId T = TenantId.of("t1");

  /** Monday 2 March 2026, 09:00 UTC. */
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  /** A CSM call task due in 3 days, then a note by the outcome. */
  private static final JourneyDefinition CALL =
      JourneyDefinition.builder("call", 1)
          .team("cs")
          .start("call")
          .step(
              new Step.HumanTask(
                  "call",
                  "csm-call",
                  Optional.of("call-invite"),
                  "csm",
                  Duration.ofDays(3),
                  Optional.of("after-sent"),
                  Optional.of("after-edited"),
                  Optional.of("after-dismissed"),
                  Optional.of("after-overdue")))
          .step(Step.Send.of("after-sent", "t-sent", MessageKind.RELATIONSHIP, "cs", null))
          .step(Step.Send.of("after-edited", "t-edited", MessageKind.RELATIONSHIP, "cs", null))
          .step(
              Step.Send.of("after-dismissed", "t-dismissed", MessageKind.RELATIONSHIP, "cs", null))
          .step(Step.Send.of("after-overdue", "t-overdue", MessageKind.RELATIONSHIP, "cs", null))
          .build();

  private static SimulatedContact contact(String id, String csm) {
    return SimulatedContact.of(
            new ContactProfile(
                T,
                ContactId.of(id),
                AccountId.of("acct-" + id),
                Optional.of(EmailAddress.of(id + "@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of("csm", csm, "csm-manager", "boss")))
        .enters("call", Duration.ZERO);
  }

  /** Every entry but ENTERED and COMPLETED as "hours step KIND detail". */
  private static List<String> lines(SimulationResult r, String contact) {
    List<String> out = new ArrayList<>();
    for (TimelineEntry e : r.timeline(T, ContactId.of(contact)).orElseThrow()) {
      if (e.kind() == TimelineEntry.Kind.ENTERED || e.kind() == TimelineEntry.Kind.COMPLETED) {
        continue;
      }
      out.add(
          "h"
              + Duration.between(START, e.at()).toHours()
              + " "
              + e.step()
              + " "
              + e.kind()
              + (e.detail().isEmpty()
                  ? ""
                  : " " + e.detail().replaceAll("task task-[0-9a-f-]+", "task#")));
    }
    return out;
  }

  @Test
  void eachOwnerCompletesItsTasksAsItsWeightsSayAndTheJourneyBranchesByTheOutcome() {
    SimulationResult r =
        JourneySimulation.builder()
            .journey(CALL)
            .taskOwner(SimulatedTaskOwner.of("alice", Duration.ofHours(4)))
            .taskOwner(SimulatedTaskOwner.of("bert", Duration.ofDays(1)).weights(0, 1, 0, 0))
            .taskOwner(
                SimulatedTaskOwner.of("cora", Duration.ofHours(2))
                    .weights(0, 0, 1, 0)
                    .dismissedBecause("on holiday"))
            .taskOwner(SimulatedTaskOwner.of("dora", Duration.ofHours(1)).weights(0, 0, 0, 1))
            .taskOwner(SimulatedTaskOwner.of("fritz", Duration.ofDays(10)))
            .contact(contact("ann", "alice"))
            .contact(contact("bob", "bert"))
            .contact(contact("cy", "cora"))
            .contact(contact("dee", "dora"))
            .contact(contact("eli", "stranger"))
            .contact(contact("fay", "fritz"))
            .start(START)
            .duration(Duration.ofDays(30))
            .build()
            .run();

    assertThat(lines(r, "ann"))
        .containsExactly(
            "h0 call TASK_CREATED task# (csm-call) for alice, due 2026-03-05T09:00:00Z",
            // the suggested email goes through the dispatcher, as TaskDesk.complete sends it
            "h4 call SENT template call-invite",
            "h4 call STEP task_done: task#: SENT_AS_SUGGESTED",
            "h4 call TASK_COMPLETED task# sent as suggested by alice",
            "h4 after-sent SENT template t-sent");
    assertThat(lines(r, "bob"))
        .containsExactly(
            "h0 call TASK_CREATED task# (csm-call) for bert, due 2026-03-05T09:00:00Z",
            "h24 call SENT template call-invite",
            "h24 call STEP task_done: task#: SENT_EDITED",
            "h24 call TASK_COMPLETED task# sent edited by bert",
            "h24 after-edited SENT template t-edited");
    assertThat(lines(r, "cy"))
        .containsExactly(
            "h0 call TASK_CREATED task# (csm-call) for cora, due 2026-03-05T09:00:00Z",
            "h2 call STEP task_done: task#: DISMISSED (on holiday)",
            "h2 call TASK_COMPLETED task# dismissed by cora: on holiday",
            "h2 after-dismissed SENT template t-dismissed");
    // ignored: reminded a day before due, escalated to the second owner at due, overdue two days on
    List<String> ignored =
        List.of(
            "h48 call TASK_REMINDED task# to dora",
            "h72 call TASK_ESCALATED task# to boss",
            "h120 call STEP task_overdue: task# overdue",
            "h120 after-overdue SENT template t-overdue");
    assertThat(lines(r, "dee")).hasSize(5).endsWith(ignored.toArray(String[]::new));
    // an owner the simulation does not know: the same
    assertThat(lines(r, "eli"))
        .containsExactly(
            "h0 call TASK_CREATED task# (csm-call) for stranger, due 2026-03-05T09:00:00Z",
            "h48 call TASK_REMINDED task# to stranger",
            "h72 call TASK_ESCALATED task# to boss",
            "h120 call STEP task_overdue: task# overdue",
            "h120 after-overdue SENT template t-overdue");
    // too late: the task expired, and the owner is told so
    assertThat(lines(r, "fay"))
        .last()
        .isEqualTo(
            "h240 call TASK_COMPLETED task#: fritz could not complete it (sent as suggested):"
                + " task# expired at 2026-03-07T09:00:00Z: overdue: nobody acted in time");
    JourneyFunnel f = r.funnel(T, "call", 1).orElseThrow();
    assertThat(f.step("call").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(2);
    assertThat(f.step("after-overdue").orElseThrow().count(JourneyMetric.SENT)).isEqualTo(3);
  }

  private static SimulationResult crowd(long seed) {
    JourneySimulation.Builder b =
        JourneySimulation.builder()
            .journey(CALL)
            .taskOwner(SimulatedTaskOwner.of("alice", Duration.ofHours(4)).weights(5, 2, 2, 1))
            .taskOwner(SimulatedTaskOwner.of("bert", Duration.ofDays(2)).weights(1, 1, 1, 1))
            .start(START)
            .duration(Duration.ofDays(60))
            .seed(seed);
    for (int i = 0; i < 200; i++) {
      b.contact(
          SimulatedContact.of(contact("c" + i, i % 2 == 0 ? "alice" : "bert").profile())
              .enters("call", Duration.ofHours(5L * i)));
    }
    return b.build().run();
  }

  @Test
  void drawnOutcomesAreReproducibleAndEveryTaskTakesTheBranchOfItsOutcome() {
    SimulationResult a = crowd(42);
    SimulationResult b = crowd(42);
    SimulationResult c = crowd(43);
    List<List<String>> ta = new ArrayList<>();
    List<List<String>> tc = new ArrayList<>();
    Map<String, Long> branches = new java.util.TreeMap<>();
    for (int i = 0; i < 200; i++) {
      List<String> t = lines(a, "c" + i);
      ta.add(t);
      tc.add(lines(c, "c" + i));
      assertThat(lines(b, "c" + i)).isEqualTo(t);
      String completed =
          t.stream().filter(x -> x.contains(" TASK_COMPLETED ")).findFirst().orElse("");
      String expected =
          completed.contains("sent as suggested")
              ? "after-sent"
              : completed.contains("sent edited")
                  ? "after-edited"
                  : completed.contains("dismissed by") ? "after-dismissed" : "after-overdue";
      assertThat(t.get(t.size() - 1)).as("c%d", i).contains(" " + expected + " SENT ");
      branches.merge(expected, 1L, Long::sum);
    }
    assertThat(b.funnels()).isEqualTo(a.funnels());
    assertThat(tc).isNotEqualTo(ta);
    assertThat(branches)
        .containsOnlyKeys("after-sent", "after-edited", "after-dismissed", "after-overdue");
    JourneyFunnel f = a.funnel(T, "call", 1).orElseThrow();
    branches.forEach(
        (step, n) -> assertThat(f.step(step).orElseThrow().count(JourneyMetric.SENT)).isEqualTo(n));
  }

  @Test
  void badOwnersAreRefusedNamingTheField() {
    assertThatThrownBy(() -> SimulatedTaskOwner.of("alice", Duration.ofHours(-1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("task owner alice: response delay must not be negative");
    assertThatThrownBy(() -> SimulatedTaskOwner.of("alice", Duration.ZERO).weights(0, 0, 0, 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("task owner alice: the outcome weights")
        .hasMessageContaining("sum to 0");
    assertThatThrownBy(() -> SimulatedTaskOwner.of("alice", Duration.ZERO).weights(1, -1, 0, 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("weight of sent edited");
    assertThatThrownBy(
            () -> SimulatedTaskOwner.of("alice", Duration.ZERO).weights(1, 0, Double.NaN, 0))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("weight of dismissed");
    assertThatThrownBy(() -> SimulatedTaskOwner.of(" ", Duration.ZERO))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("task owner: id");
    assertThatThrownBy(
            () ->
                JourneySimulation.builder()
                    .taskOwner(SimulatedTaskOwner.of("alice", Duration.ZERO))
                    .taskOwner(SimulatedTaskOwner.of("alice", Duration.ofHours(1))))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("task owner 'alice' is given twice");
  }
}
