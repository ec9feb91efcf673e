package dev.steward.onboarding;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.internal.StoreChecks;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** A {@link PilotStore} in memory, for one process and tests. */
public final class InMemoryPilotStore implements PilotStore {
  private final Map<TenantId, PilotState> states = new ConcurrentHashMap<>();
  private final Map<DayKey, Map<MessageId, Integer>> days = new ConcurrentHashMap<>();

  private record DayKey(TenantId tenant, LocalDate day) {}

  /** An empty store. */
  public static InMemoryPilotStore of() {
    return new InMemoryPilotStore();
  }

  private InMemoryPilotStore() {}

  @Override
  public Optional<PilotState> find(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    return Optional.ofNullable(states.get(tenant));
  }

  @Override
  public PilotState update(TenantId tenant, Instant now, UnaryOperator<PilotState> change) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("now", now);
    Checks.notNull("change", change);
    // compute runs the change once, holding the tenant's entry
    return states.compute(
        tenant,
        (t, current) -> {
          PilotState next = change.apply(current != null ? current : PilotState.initial(t, now));
          return StoreChecks.pilotChange(t, next);
        });
  }

  @Override
  public DailyReservation reserve(TenantId tenant, LocalDate day, MessageId message, long limit) {
    StoreChecks.reserve(tenant, day, message, limit);
    DailyReservation[] out = new DailyReservation[1];
    days.compute(
        new DayKey(tenant, day),
        (k, ids) -> {
          Map<MessageId, Integer> s = ids != null ? ids : new HashMap<>();
          if (s.containsKey(message)) {
            out[0] = new DailyReservation(true, s.size() - 1L);
            s.merge(message, 1, Integer::sum); // one more dispatch holds it
          } else if (s.size() < limit) {
            out[0] = new DailyReservation(true, s.size());
            s.put(message, 1);
          } else {
            out[0] = new DailyReservation(false, s.size());
          }
          return s.isEmpty() ? null : s;
        });
    return out[0];
  }

  @Override
  public boolean release(TenantId tenant, LocalDate day, MessageId message) {
    StoreChecks.day(tenant, day, message);
    boolean[] removed = {false};
    days.computeIfPresent(
        new DayKey(tenant, day),
        (k, ids) -> {
          Integer holds = ids.get(message);
          if (holds != null && holds > 1) {
            ids.put(message, holds - 1); // another dispatch still holds it: it stays counted
          } else {
            removed[0] = ids.remove(message) != null;
          }
          return ids.isEmpty() ? null : ids;
        });
    return removed[0];
  }

  @Override
  public boolean confirm(TenantId tenant, LocalDate day, MessageId message) {
    StoreChecks.day(tenant, day, message);
    boolean[] added = {false};
    days.compute(
        new DayKey(tenant, day),
        (k, ids) -> {
          Map<MessageId, Integer> s = ids != null ? ids : new HashMap<>();
          added[0] = s.putIfAbsent(message, 1) == null;
          return s;
        });
    return added[0];
  }

  @Override
  public long count(TenantId tenant, LocalDate day) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("day", day);
    long[] n = {0};
    days.computeIfPresent(
        new DayKey(tenant, day),
        (k, ids) -> {
          n[0] = ids.size();
          return ids;
        });
    return n[0];
  }

  @Override
  public int purgeBefore(TenantId tenant, LocalDate day) {
    Checks.notNull("tenant", tenant);
    Checks.notNull("day", day);
    int n = 0;
    for (DayKey k : days.keySet()) {
      if (k.tenant().equals(tenant) && k.day().isBefore(day) && days.remove(k) != null) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean eraseTenant(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    boolean any = states.remove(tenant) != null;
    for (DayKey k : days.keySet()) {
      if (k.tenant().equals(tenant) && days.remove(k) != null) {
        any = true;
      }
    }
    return any;
  }
}
