package dev.steward.governance;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * A metrics store that passes every call on: a store that is not the in-memory one, so that the
 * {@link GovernanceListener} takes its batched read (one activity call per tenant of a batch).
 */
public record DelegatingGovernanceMetricsStore(GovernanceMetricsStore d)
    implements GovernanceMetricsStore {
  @Override
  public int add(Collection<Increment> increments) {
    return d.add(increments);
  }

  @Override
  public MetricCounts counts(MetricsKey key, Granularity g, Instant from, Instant to) {
    return d.counts(key, g, from, to);
  }

  @Override
  public Map<EmailAddress, RecipientActivity> activity(
      TenantId tenant, Collection<EmailAddress> addresses) {
    return d.activity(tenant, addresses);
  }

  @Override
  public void touch(Collection<ActivityTouch> touches) {
    d.touch(touches);
  }

  @Override
  public int purgeBefore(Granularity g, Instant cutoff, int max) {
    return d.purgeBefore(g, cutoff, max);
  }

  @Override
  public int purgeMarksBefore(Instant cutoff, int max) {
    return d.purgeMarksBefore(cutoff, max);
  }

  @Override
  public boolean eraseAddress(TenantId tenant, EmailAddress address) {
    return d.eraseAddress(tenant, address);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    return d.eraseTenant(tenant);
  }
}
