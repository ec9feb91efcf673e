package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.InvalidCalendarException;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CalendarEntry's memo of strings found valid (memsend) is by identity in 64 slots: a valid string
 * and an invalid one in the same slot, from many threads at once, must never let the invalid one
 * through, nor a category that still needs normalising stay as given.
 */
class CalendarStringMemoConcurrencyTest {
  private static final TenantId T = TenantId.of("isv-tenant");
  private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

  private static CalendarEntry entry(String team, String category, String campaign) {
    return CalendarEntry.of(
        T,
        "e1",
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        AccountId.of("acme"),
        ContactId.of("ada"),
        team,
        MessageKind.PROMOTIONAL,
        category,
        Channel.EMAIL,
        campaign,
        AT);
  }

  private static int slot(String s) {
    return System.identityHashCode(s) & 63;
  }

  /** A new string (its own instance) that sits in {@code s}'s slot, built from {@code base}. */
  private static String inSlotOf(String s, String base) {
    for (int i = 0; ; i++) {
      String c = new String(base + i);
      if (slot(c) == slot(s)) {
        return c;
      }
    }
  }

  @Test
  void anInvalidStringInTheSlotOfAValidOneIsAlwaysRefusedFromManyThreads() {
    List<String[]> pairs = new ArrayList<>();
    for (int k = 0; k < 16; k++) {
      String team = new String("team-" + k);
      String tooLong = inSlotOf(team, "x".repeat(201));
      String category = new String("offers-" + k);
      String badCategory = inSlotOf(category, "bad category ");
      String upper = inSlotOf(category, "OFFERS-");
      pairs.add(new String[] {team, tooLong, category, badCategory, upper});
    }

    List<Integer> checked =
        Concurrently.run(
            8,
            thread -> {
              int n = 0;
              for (int round = 0; round < 300; round++) {
                for (String[] p : pairs) {
                  CalendarEntry ok = entry(p[0], p[2], p[0]);
                  assertThat(ok.team()).containsSame(p[0]);
                  assertThat(ok.category()).contains(p[2]);
                  assertThatThrownBy(() -> entry(p[1], p[2], null))
                      .isInstanceOf(InvalidCalendarException.class)
                      .hasMessageContaining("team");
                  assertThatThrownBy(() -> entry(p[0], p[2], p[1]))
                      .isInstanceOf(InvalidCalendarException.class)
                      .hasMessageContaining("campaign");
                  assertThatThrownBy(() -> entry(p[0], p[3], null))
                      .hasMessageContaining("category");
                  assertThat(entry(p[0], p[4], null).category().orElseThrow())
                      .isEqualTo(p[4].toLowerCase(java.util.Locale.ROOT));
                  n++;
                }
              }
              return n;
            });

    assertThat(checked).containsOnly(300 * 16);
  }
}
