package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manual overrides of each tenant's accounts, kept in memory (the same account id under two
 * tenants is two accounts): the newest override in force at a score's time whose direction allows
 * it wins. Expired overrides stay for the audit trail. Thread-safe.
 */
public final class ScoreOverrides {

  private ScoreOverrides() {}

  /** No overrides yet. */
  public static ScoreOverrides of() {
    return new ScoreOverrides();
  }

  private static final Logger LOG = LoggerFactory.getLogger(ScoreOverrides.class);

  private final ConcurrentMap<TenantAccount, List<ScoreOverride>> byAccount =
      new ConcurrentHashMap<>();

  /** Records an override for an account. */
  public void add(TenantId tenant, AccountId account, ScoreOverride override) {
    TenantAccount key = TenantAccount.of(tenant, account);
    InvalidHealthInputException.requireNonNull(override, "override");
    byAccount.compute(
        key,
        (a, list) -> {
          List<ScoreOverride> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
          next.add(override);
          return List.copyOf(next);
        });
    LOG.info(
        "health override for {} of tenant {} by {} to {} ({}) until {}: {}",
        account,
        tenant,
        override.author(),
        override.value(),
        override.direction(),
        override.expiresAt(),
        override.reason());
  }

  /** Every override ever recorded for the account, oldest first. */
  public List<ScoreOverride> history(TenantId tenant, AccountId account) {
    return byAccount.getOrDefault(TenantAccount.of(tenant, account), List.of());
  }

  /** The overrides in force at that time, oldest first. */
  public List<ScoreOverride> activeAt(TenantId tenant, AccountId account, Instant at) {
    List<ScoreOverride> out = new ArrayList<>();
    for (ScoreOverride o : history(tenant, account)) {
      if (o.activeAt(at)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The score with the newest applicable override in force at its time, or unchanged. */
  public HealthScore apply(TenantId tenant, AccountId account, HealthScore score) {
    List<ScoreOverride> list = history(tenant, account);
    for (int i = list.size() - 1; i >= 0; i--) {
      HealthScore applied = list.get(i).applyTo(score);
      if (applied != score) {
        return applied;
      }
    }
    return score;
  }

  /** Forgets every override of the tenant's accounts; the number of overrides removed. */
  public int eraseTenant(TenantId tenant) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    int removed = 0;
    for (TenantAccount key : List.copyOf(byAccount.keySet())) {
      if (key.tenant().equals(tenant)) {
        List<ScoreOverride> gone = byAccount.remove(key);
        removed += gone == null ? 0 : gone.size();
      }
    }
    return removed;
  }
}
