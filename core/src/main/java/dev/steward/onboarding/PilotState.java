package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a tenant stands in its pilot warm-up, as a {@link PilotStore} keeps it so that instances
 * agree.
 *
 * @param stage the current stage of the {@link WarmUpPlan} (0 is the first)
 * @param stageSince when the tenant entered it
 * @param day the last UTC day on which the tenant's mail was judged: the day the next judgement of
 *     its stage looks back on, and from which idle days are counted
 * @param warningSeen the start of the newest governance warning that already cost the tenant a
 *     stage, so that one warning drops one stage however long it lasts
 * @param graduated true once the tenant delivered its last stage: the pilot is over
 * @param history the latest stage changes, oldest first, at most {@value #MAX_HISTORY}
 */
public record PilotState(
    TenantId tenant,
    int stage,
    Instant stageSince,
    LocalDate day,
    Optional<Instant> warningSeen,
    boolean graduated,
    List<StageChange> history) {

  /** How many history entries are kept. */
  public static final int MAX_HISTORY = 100;

  public PilotState {
    Checks.notNull("tenant", tenant);
    if (stage < 0) {
      throw new InvalidOnboardingInputException("stage must not be negative, was " + stage);
    }
    Checks.notNull("stageSince", stageSince);
    Checks.notNull("day", day);
    Checks.notNull("warningSeen", warningSeen);
    Checks.notNull("history", history);
    List<StageChange> h = new ArrayList<>(history);
    for (int i = 0; i < h.size(); i++) {
      Checks.notNull("history[" + i + "]", h.get(i));
    }
    if (h.size() > MAX_HISTORY) {
      h = h.subList(h.size() - MAX_HISTORY, h.size());
    }
    history = List.copyOf(h);
  }

  /** A tenant starting its pilot at {@code now}: the first stage, nothing judged yet. */
  public static PilotState initial(TenantId tenant, Instant now) {
    Checks.notNull("now", now);
    return new PilotState(
        tenant,
        0,
        now,
        LocalDate.ofInstant(now, ZoneOffset.UTC),
        Optional.empty(),
        false,
        List.of());
  }

  /** This state moved to {@code to} at {@code at} for {@code reason}. */
  PilotState movedTo(int to, Instant at, String reason) {
    List<StageChange> h = new ArrayList<>(history);
    h.add(new StageChange(at, stage, to, reason));
    return new PilotState(tenant, to, at, day, warningSeen, graduated, h);
  }

  PilotState onDay(LocalDate d) {
    return new PilotState(tenant, stage, stageSince, d, warningSeen, graduated, history);
  }

  PilotState warned(Instant warningStart) {
    return new PilotState(
        tenant, stage, stageSince, day, Optional.of(warningStart), graduated, history);
  }

  PilotState graduatedAt(Instant at, String reason) {
    List<StageChange> h = new ArrayList<>(history);
    h.add(new StageChange(at, stage, stage, reason));
    return new PilotState(tenant, stage, stageSince, day, warningSeen, true, h);
  }
}
