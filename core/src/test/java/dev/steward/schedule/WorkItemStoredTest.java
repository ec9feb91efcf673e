package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The trusted path by which a store rebuilds an item it checked when it was stored. */
class WorkItemStoredTest {
  private static final WorkKey KEY = WorkKey.of(TenantId.of("t1"), "k", "i1");
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aStoredItemIsTheItemThatWasStored() {
    WorkItem checked = new WorkItem(KEY, "s", "{\"a\":1}", 2, AT, 3, 1, WorkState.DEAD, "boom");
    WorkItem rebuilt =
        WorkItem.stored(
            KEY.tenant(),
            KEY.kind(),
            KEY.id(),
            checked.subject(),
            checked.payload(),
            checked.payloadVersion(),
            checked.dueAt(),
            checked.priority(),
            checked.attempts(),
            checked.state(),
            checked.lastError());
    assertThat(rebuilt).isEqualTo(checked);
  }

  @Test
  void publicConstructionStillChecksThePayloadAfterAStoredRebuild() {
    WorkItem.stored(KEY.tenant(), KEY.kind(), KEY.id(), "", "{}", 1, AT, 0, 0, WorkState.READY, "");
    assertThatThrownBy(() -> new WorkItem(KEY, "", "[1]", 1, AT, 0, 0, WorkState.READY, ""))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> new WorkItem(KEY, "", "{\"a\":1,\"a\":2}", 1, AT, 0, 0, null, ""))
        .isInstanceOf(InvalidWorkException.class);
  }

  @Test
  void aStoredRebuildThatFailsLeavesPublicConstructionChecking() {
    assertThatThrownBy(
            () ->
                WorkItem.stored(
                    KEY.tenant(), KEY.kind(), KEY.id(), "", "{}", 0, AT, 0, 0, WorkState.READY, ""))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("payload version");
    assertThatThrownBy(() -> new WorkItem(KEY, "a\u0000b", "{}", 1, AT, 0, 0, null, ""))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("control character");
  }

  @Test
  void aRefusedPayloadOrDueTimeIsNamedByItsKey() {
    assertThatThrownBy(() -> new WorkItem(KEY, "", "{\"a\":1,\"a\":2}", 1, AT, 0, 0, null, ""))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageStartingWith("payload of " + KEY + " JSON has the key 'a' twice");
    assertThatThrownBy(() -> new WorkItem(KEY, "", "{} x", 1, AT, 0, 0, null, ""))
        .hasMessageStartingWith("payload of " + KEY + " JSON has text after its end");
    assertThatThrownBy(
            () ->
                new WorkItem(
                    KEY, "", "{}", 1, Instant.parse("3000-01-01T00:00:00Z"), 0, 0, null, ""))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageStartingWith("due time of " + KEY + " ");
  }

  @Test
  void aStoredRebuildStillRefusesAMissingPayload() {
    assertThatThrownBy(
            () ->
                WorkItem.stored(
                    KEY.tenant(), KEY.kind(), KEY.id(), "", null, 1, AT, 0, 0, WorkState.READY, ""))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStoredRebuildOfTheKeyIsTheKeyThatWasStoredAndLeavesPublicKeysChecked() {
    WorkItem rebuilt =
        WorkItem.stored(KEY.tenant(), "k", "i1", "s", "{}", 1, AT, 0, 0, WorkState.READY, "");
    assertThat(rebuilt.key()).isEqualTo(KEY);
    assertThatThrownBy(() -> WorkKey.of(KEY.tenant(), "K!", "i1"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("work kind 'K!'");
    assertThatThrownBy(() -> WorkKey.of(KEY.tenant(), "k", "a\u0000b"))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("control character");
    assertThatThrownBy(
            () -> WorkItem.stored(KEY.tenant(), "k", null, "", "{}", 1, AT, 0, 0, null, ""))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> WorkKey.of(KEY.tenant(), "k", ""))
        .isInstanceOf(InvalidWorkException.class);
  }
}
