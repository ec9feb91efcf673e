package dev.steward.review24;

import dev.steward.journey.JourneyScheduler;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A work store whose next schedule of a journey step item fails when told to (a crash there). */
final class FlakyStepWorkStore implements WorkStore {
  private final WorkStore d;
  final AtomicBoolean failNextSchedule = new AtomicBoolean();

  FlakyStepWorkStore(WorkStore d) {
    this.d = d;
  }

  @Override
  public boolean schedule(WorkItem item, IfExists ifExists) {
    if (item.key().kind().equals(JourneyScheduler.STEP_KIND) && failNextSchedule.getAndSet(false)) {
      throw new IllegalStateException("work store unreachable");
    }
    return d.schedule(item, ifExists);
  }

  @Override
  public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
    return d.scheduleAll(items, ifExists);
  }

  @Override
  public List<ClaimedWork> claim(ClaimRequest request) {
    return d.claim(request);
  }

  @Override
  public List<Lease> renew(Collection<Lease> leases, Duration lease) {
    return d.renew(leases, lease);
  }

  @Override
  public List<Completion> complete(List<Completion> completions) {
    return d.complete(completions);
  }

  @Override
  public int release(Collection<Lease> leases) {
    return d.release(leases);
  }

  @Override
  public boolean replaceIfUnchanged(Collection<WorkItem> expected, Collection<WorkItem> writes) {
    return d.replaceIfUnchanged(expected, writes);
  }

  @Override
  public boolean cancel(WorkKey key) {
    return d.cancel(key);
  }

  @Override
  public int cancelSubject(TenantId tenant, String subject) {
    return d.cancelSubject(tenant, subject);
  }

  @Override
  public int cancelTenant(TenantId tenant) {
    return d.cancelTenant(tenant);
  }

  @Override
  public Optional<WorkItem> find(WorkKey key) {
    return d.find(key);
  }

  @Override
  public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
    return d.findBySubject(tenant, subject, kind);
  }

  @Override
  public List<WorkItem> dead(int max) {
    return d.dead(max);
  }

  @Override
  public boolean retryDead(WorkKey key, Instant at) {
    return d.retryDead(key, at);
  }

  @Override
  public long count(WorkState state) {
    return d.count(state);
  }
}
