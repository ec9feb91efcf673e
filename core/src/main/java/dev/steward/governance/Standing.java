package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's current standing on the ladder, as a {@link StandingStore} keeps it so that instances
 * agree.
 *
 * @param level the current level (the override's while one is in force)
 * @param since when the tenant reached it
 * @param expiresAt when the automatic action ends unless renewed; empty at {@link Level#NONE} and
 *     under an override without end
 * @param cleanSince since when metrics have called for less than the current level; empty when they
 *     do not
 * @param terminationReview true once repeat offences called for a termination review, until a human
 *     override decides
 * @param override the human's decision, if any (in force or not yet noticed as ended)
 * @param history the latest changes, oldest first, at most {@value #MAX_HISTORY}
 */
public record Standing(
    TenantId tenant,
    Level level,
    Instant since,
    Optional<Instant> expiresAt,
    Optional<Instant> cleanSince,
    boolean terminationReview,
    Optional<HumanOverride> override,
    List<StandingChange> history) {

  /** How many history entries are kept. */
  public static final int MAX_HISTORY = 100;

  public Standing {
    InvalidGovernanceException.requireNonNull(tenant, "standing tenant");
    InvalidGovernanceException.requireNonNull(level, "standing level");
    InvalidGovernanceException.requireNonNull(since, "standing since");
    InvalidGovernanceException.requireNonNull(expiresAt, "standing expiresAt");
    InvalidGovernanceException.requireNonNull(cleanSince, "standing cleanSince");
    InvalidGovernanceException.requireNonNull(override, "standing override");
    InvalidGovernanceException.requireNonNull(history, "standing history");
    List<StandingChange> h = new ArrayList<>(history);
    for (StandingChange c : h) {
      InvalidGovernanceException.requireNonNull(c, "standing history entry");
    }
    if (h.size() > MAX_HISTORY) {
      h = h.subList(h.size() - MAX_HISTORY, h.size());
    }
    history = List.copyOf(h);
  }

  /** A tenant in good standing with no history, as of {@code at}. */
  public static Standing initial(TenantId tenant, Instant at) {
    return new Standing(
        tenant,
        Level.NONE,
        at,
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        List.of());
  }

  /** True if a human's override is in force at {@code now}. */
  public boolean overriddenAt(Instant now) {
    return override.map(o -> o.inForceAt(now)).orElse(false);
  }

  /** True if the tenant may send at all: below {@link Level#SUSPEND}. */
  public boolean maySend() {
    return level.compareTo(Level.SUSPEND) < 0;
  }

  Standing with(
      Level level,
      Instant since,
      Optional<Instant> expiresAt,
      Optional<Instant> cleanSince,
      boolean terminationReview,
      Optional<HumanOverride> override,
      StandingChange change) {
    List<StandingChange> h = new ArrayList<>(history);
    if (change != null) {
      h.add(change);
    }
    return new Standing(
        tenant, level, since, expiresAt, cleanSince, terminationReview, override, h);
  }
}
