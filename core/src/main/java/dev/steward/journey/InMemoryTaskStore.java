package dev.steward.journey;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A {@link TaskStore} in memory, for one process and tests; every operation holds its lock. */
public final class InMemoryTaskStore implements TaskStore {
  private final Map<TenantId, TreeMap<String, JourneyTask>> tenants = new HashMap<>();

  private InMemoryTaskStore() {}

  /** An empty store. */
  public static InMemoryTaskStore of() {
    return new InMemoryTaskStore();
  }

  @Override
  public synchronized boolean create(JourneyTask task) {
    TaskStore.checkNew(task);
    return tenants.computeIfAbsent(task.tenant(), k -> new TreeMap<>()).putIfAbsent(task.id(), task)
        == null;
  }

  @Override
  public synchronized Optional<JourneyTask> find(TenantId tenant, String id) {
    InvalidTaskException.require(tenant, "tenant");
    TaskStore.checkId(id);
    TreeMap<String, JourneyTask> t = tenants.get(tenant);
    return t == null ? Optional.empty() : Optional.ofNullable(t.get(id));
  }

  @Override
  public synchronized boolean update(JourneyTask next, TaskState expected) {
    TaskStore.checkUpdate(next, expected);
    TreeMap<String, JourneyTask> t = tenants.get(next.tenant());
    JourneyTask stored = t == null ? null : t.get(next.id());
    if (stored == null || stored.state() != expected) {
      return false;
    }
    t.put(
        next.id(),
        new JourneyTask(
            stored.tenant(),
            stored.id(),
            stored.journey(),
            stored.enrolment(),
            stored.step(),
            stored.task(),
            stored.account(),
            stored.contact(),
            next.owner(),
            stored.secondOwner(),
            stored.suggested(),
            stored.dueAt(),
            stored.remindAt(),
            stored.escalateAt(),
            next.state(),
            next.outcome(),
            next.reason(),
            next.edited(),
            stored.createdAt(),
            next.updatedAt(),
            next.closedAt()));
    return true;
  }

  @Override
  public synchronized List<JourneyTask> open(
      TenantId tenant, String owner, Optional<String> afterId, int max) {
    TaskStore.checkPage(tenant, owner, afterId, max);
    return page(tenant, afterId, max, x -> x.owner().equals(owner) && x.isOpen());
  }

  @Override
  public synchronized List<JourneyTask> overdue(
      TenantId tenant, String owner, Instant now, Optional<String> afterId, int max) {
    TaskStore.checkPage(tenant, owner, afterId, max);
    InvalidTaskException.require(now, "now");
    return page(tenant, afterId, max, x -> x.owner().equals(owner) && x.overdueAt(now));
  }

  @Override
  public synchronized List<JourneyTask> byAccount(
      TenantId tenant, AccountId account, Optional<String> afterId, int max) {
    InvalidTaskException.require(account, "account");
    TaskStore.checkPage(tenant, "-", afterId, max);
    return page(tenant, afterId, max, x -> x.account().equals(account));
  }

  private List<JourneyTask> page(
      TenantId tenant, Optional<String> afterId, int max, Predicate<JourneyTask> keep) {
    TreeMap<String, JourneyTask> t = tenants.get(tenant);
    List<JourneyTask> out = new ArrayList<>();
    if (t == null) {
      return out;
    }
    Map<String, JourneyTask> from = afterId.isPresent() ? t.tailMap(afterId.get(), false) : t;
    for (JourneyTask x : from.values()) {
      if (keep.test(x)) {
        out.add(x);
        if (out.size() == max) {
          break;
        }
      }
    }
    return out;
  }

  @Override
  public synchronized TaskReport report(
      TenantId tenant, String owner, Instant from, Instant to, Instant now) {
    TaskStore.checkReport(tenant, owner, from, to, now);
    long open = 0;
    long overdue = 0;
    long[] byOutcome = new long[TaskOutcome.values().length];
    long expired = 0;
    for (JourneyTask x : tenants.getOrDefault(tenant, new TreeMap<>()).values()) {
      if (!x.owner().equals(owner)) {
        continue;
      }
      if (x.isOpen()) {
        open++;
        overdue += x.overdueAt(now) ? 1 : 0;
        continue;
      }
      Instant closed = x.closedAt().orElseThrow();
      if (closed.isBefore(from) || !closed.isBefore(to)) {
        continue;
      }
      if (x.state() == TaskState.EXPIRED) {
        expired++;
      } else {
        byOutcome[x.outcome().orElseThrow().ordinal()]++;
      }
    }
    return new TaskReport(
        owner,
        from,
        to,
        open,
        overdue,
        byOutcome[TaskOutcome.SENT_AS_SUGGESTED.ordinal()],
        byOutcome[TaskOutcome.SENT_EDITED.ordinal()],
        byOutcome[TaskOutcome.DISMISSED.ordinal()],
        expired);
  }

  @Override
  public synchronized int eraseContact(TenantId tenant, ContactId contact) {
    InvalidTaskException.require(tenant, "tenant");
    InvalidTaskException.require(contact, "contact");
    TreeMap<String, JourneyTask> t = tenants.get(tenant);
    if (t == null) {
      return 0;
    }
    int before = t.size();
    t.values().removeIf(x -> x.contact().equals(contact));
    return before - t.size();
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    InvalidTaskException.require(tenant, "tenant");
    TreeMap<String, JourneyTask> t = tenants.remove(tenant);
    return t == null ? 0 : t.size();
  }
}
