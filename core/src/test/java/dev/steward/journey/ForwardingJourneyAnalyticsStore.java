package dev.steward.journey;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A journey analytics store that hands every call to another: tests override what they watch. */
class ForwardingJourneyAnalyticsStore implements JourneyAnalyticsStore {
  final JourneyAnalyticsStore in;

  ForwardingJourneyAnalyticsStore(JourneyAnalyticsStore in) {
    this.in = in;
  }

  @Override
  public boolean record(JourneyFact fact) {
    return in.record(fact);
  }

  @Override
  public void recordLater(JourneyFact fact) {
    in.recordLater(fact);
  }

  @Override
  public Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
    return in.stepOf(tenant, messageId);
  }

  @Override
  public Map<String, JourneyStepRef> stepsOf(TenantId tenant, Collection<String> messageIds) {
    return in.stepsOf(tenant, messageIds);
  }

  @Override
  public List<StepCount> counts(TenantId tenant, String journey, int version) {
    return in.counts(tenant, journey, version);
  }

  @Override
  public boolean openEpisode(
      TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at) {
    return in.openEpisode(tenant, step, kind, at);
  }

  @Override
  public boolean closeEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
    return in.closeEpisode(tenant, step, kind);
  }

  @Override
  public Map<String, Set<JourneyAlertKind>> openEpisodes(
      TenantId tenant, String journey, int version) {
    return in.openEpisodes(tenant, journey, version);
  }

  @Override
  public int purgeMarksBefore(Instant cutoff, int max) {
    return in.purgeMarksBefore(cutoff, max);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    return in.eraseTenant(tenant);
  }
}
