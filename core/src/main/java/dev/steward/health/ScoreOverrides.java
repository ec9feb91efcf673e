package dev.steward.health;

import dev.steward.model.AccountId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manual overrides of each account, kept in memory: the newest override in force at a score's
 * time whose direction allows it wins. Expired overrides stay for the audit trail. Thread-safe.
 */
public final class ScoreOverrides {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreOverrides.class);

  private final ConcurrentMap<AccountId, List<ScoreOverride>> byAccount = new ConcurrentHashMap<>();

  /** Records an override for an account. */
  public void add(AccountId account, ScoreOverride override) {
    byAccount.compute(
        account,
        (a, list) -> {
          List<ScoreOverride> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
          next.add(override);
          return List.copyOf(next);
        });
    LOG.info(
        "health override for {} by {} to {} ({}) until {}: {}",
        account,
        override.author(),
        override.value(),
        override.direction(),
        override.expiresAt(),
        override.reason());
  }

  /** Every override ever recorded for the account, oldest first. */
  public List<ScoreOverride> history(AccountId account) {
    return byAccount.getOrDefault(account, List.of());
  }

  /** The overrides in force at that time, oldest first. */
  public List<ScoreOverride> activeAt(AccountId account, Instant at) {
    List<ScoreOverride> out = new ArrayList<>();
    for (ScoreOverride o : history(account)) {
      if (o.activeAt(at)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The score with the newest applicable override in force at its time, or unchanged. */
  public HealthScore apply(AccountId account, HealthScore score) {
    List<ScoreOverride> list = history(account);
    for (int i = list.size() - 1; i >= 0; i--) {
      HealthScore applied = list.get(i).applyTo(score);
      if (applied != score) {
        return applied;
      }
    }
    return score;
  }
}
