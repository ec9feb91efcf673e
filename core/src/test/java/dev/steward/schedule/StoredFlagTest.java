package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Review 24w: WorkItem's trusted rebuild path sets a per-thread flag that skips the record's
 * checks: when the rebuild throws (a stored item without its payload), the flag must not stay set,
 * or the next public {@code new WorkItem(...)} on that thread would take an unchecked subject,
 * payload and due time.
 */
class StoredFlagTest {
  private static final WorkKey KEY = WorkKey.of(TenantId.of("r24w"), "kind", "id");

  private static WorkItem rebuild(String payload, Instant due) {
    return WorkItem.stored(
        KEY.tenant(), KEY.kind(), KEY.id(), "", payload, 1, due, 0, 0, WorkState.READY, null);
  }

  @Test
  void aRebuildThatThrowsLeavesTheNextPublicItemChecked() {
    assertThatThrownBy(() -> rebuild(null, Instant.EPOCH))
        .isInstanceOf(IllegalStateException.class);

    assertThatThrownBy(
            () ->
                new WorkItem(
                    KEY, "bad\u0000subject", "{}", 1, Instant.EPOCH, 0, 0, WorkState.READY, null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(
            () -> new WorkItem(KEY, "", "not json", 1, Instant.EPOCH, 0, 0, WorkState.READY, null))
        .isInstanceOf(InvalidWorkException.class);
    assertThatThrownBy(
            () -> new WorkItem(KEY, "", "{}", 1, Instant.MAX, 0, 0, WorkState.READY, null))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("due time");
    // and a rebuild still skips them: the flag works while it is meant to
    assertThat(rebuild("not json", Instant.EPOCH)).isInstanceOf(WorkItem.class);
  }
}
