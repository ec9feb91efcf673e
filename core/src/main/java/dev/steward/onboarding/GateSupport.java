package dev.steward.onboarding;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** The small helpers the {@link TenantGate}'s parts share: its reasons and its UTC days. */
final class GateSupport {
  private GateSupport() {}

  static Reason reason(String rule, Outcome effect, String detail) {
    return Reason.of(TenantGate.GATE, rule, effect, detail);
  }

  static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }
}
