/**
 * Health scores: explainable, testable account scores.
 *
 * <p>A {@link dev.steward.health.Scorecard} (builder or {@link
 * dev.steward.health.Scorecard#fromJson JSON}) names weighted measures, optionally grouped, each
 * with a {@link dev.steward.health.Mapping} from raw value to 0–100, a freshness limit and, for
 * event counts, a decay half-life. {@link dev.steward.health.HealthScoreCalculator} is a pure
 * function of scorecard, {@link dev.steward.health.HealthInputs} and time: absent or stale measures
 * are left out and their weight spread within their group and then across groups; below the
 * scorecard's minimum coverage the score is INSUFFICIENT rather than a silent number. Every score
 * can explain each measure's part.
 *
 * <p>Around it: {@link dev.steward.health.BuiltInMeasures} and their input helpers ({@link
 * dev.steward.health.VoiceOfCustomer}, {@link dev.steward.health.UsageMetrics}, {@link
 * dev.steward.health.Trend}, {@link dev.steward.health.DecayedCounter}, {@link
 * dev.steward.health.EmailEngagementAggregator} over an {@link dev.steward.health.EngagementStore},
 * {@link dev.steward.health.SentimentAnalyzer}); {@link dev.steward.health.SegmentedScorecards}
 * (also as JSON) and {@link dev.steward.health.TenantScorecards}, both a {@link
 * dev.steward.health.ScorecardResolver}; {@link dev.steward.health.HealthRollUp}; manual {@link
 * dev.steward.health.ScoreOverride}s; the {@link dev.steward.health.HealthHistoryStore} with {@link
 * dev.steward.health.HealthTrend}; the {@link dev.steward.health.HealthMonitor} with hysteresis and
 * {@link dev.steward.health.HealthListener}s, its band state in a {@link
 * dev.steward.health.HealthBandStateStore}; and {@link dev.steward.health.HealthBacktest}.
 *
 * <p>Every account belongs to a tenant: the same account id under two tenants is two accounts in
 * every store, and each store erases a whole tenant with {@code eraseTenant}. The three stores have
 * in-memory implementations here and JDBC ones in {@code dev.steward.jdbc} ({@code
 * JdbcHealthHistoryStore}, {@code JdbcHealthBandStateStore}, {@code JdbcEngagementStore}, schema
 * version 9): monitors in several instances sharing one database's band state alert as a single
 * monitor would, and their aggregators count each other's email engagement.
 */
package dev.steward.health;
