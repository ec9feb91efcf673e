package dev.steward.health;

import dev.steward.health.SegmentedScorecards.Choice;
import dev.steward.model.TenantId;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scorecards per tenant, each tenant with segments of its own (an ISV whose customers define their
 * scorecards), and a fallback for every other tenant. The fallback's segments may still match on
 * {@value SegmentedScorecards#TENANT_ATTRIBUTE}. Immutable.
 */
public final class TenantScorecards implements ScorecardResolver {
  private final Map<TenantId, SegmentedScorecards> byTenant;
  private final SegmentedScorecards fallback;

  private TenantScorecards(Builder b) {
    this.byTenant = Collections.unmodifiableMap(new HashMap<>(b.byTenant));
    this.fallback = b.fallback;
  }

  /** A builder whose tenants without scorecards of their own use {@code fallback}. */
  public static Builder builder(SegmentedScorecards fallback) {
    return new Builder(fallback);
  }

  /** A builder whose tenants without scorecards of their own use {@code fallback} alone. */
  public static Builder builder(Scorecard fallback) {
    return new Builder(SegmentedScorecards.builder(fallback).build());
  }

  @Override
  public Choice choose(TenantId tenant, Map<String, String> attributes) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    return byTenant.getOrDefault(tenant, fallback).choose(tenant, attributes);
  }

  /** The tenant's own segmented scorecards, if it has any. */
  public Optional<SegmentedScorecards> of(TenantId tenant) {
    return Optional.ofNullable(
        byTenant.get(InvalidHealthInputException.requireNonNull(tenant, "tenant")));
  }

  /** The scorecards of tenants with none of their own. */
  public SegmentedScorecards fallback() {
    return fallback;
  }

  /** Builds {@link TenantScorecards}; each tenant is given its scorecards once. */
  public static final class Builder {
    private final SegmentedScorecards fallback;
    private final Map<TenantId, SegmentedScorecards> byTenant = new HashMap<>();

    private Builder(SegmentedScorecards fallback) {
      this.fallback = InvalidHealthInputException.requireNonNull(fallback, "fallback scorecards");
    }

    /** The tenant's own segmented scorecards. */
    public Builder tenant(TenantId tenant, SegmentedScorecards scorecards) {
      InvalidHealthInputException.requireNonNull(tenant, "tenant");
      InvalidHealthInputException.requireNonNull(scorecards, "scorecards of tenant " + tenant);
      if (byTenant.putIfAbsent(tenant, scorecards) != null) {
        throw new InvalidScorecardException(
            "tenant scorecards: tenant '" + tenant + "' is given scorecards twice");
      }
      return this;
    }

    /** The tenant's own scorecard, for all its accounts. */
    public Builder tenant(TenantId tenant, Scorecard scorecard) {
      InvalidHealthInputException.requireNonNull(scorecard, "scorecard of tenant " + tenant);
      return tenant(tenant, SegmentedScorecards.builder(scorecard).build());
    }

    public TenantScorecards build() {
      return new TenantScorecards(this);
    }
  }
}
