package dev.steward.sendgrid.review11;

import dev.steward.governance.ActivityTouch;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Increment;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.RecipientActivity;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** A store that hands everything to another; tests override {@link #add}. */
class DelegatingStore implements GovernanceMetricsStore {
  final GovernanceMetricsStore d;

  DelegatingStore(GovernanceMetricsStore d) {
    this.d = d;
  }

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
