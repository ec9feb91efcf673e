/**
 * IP-pool strategy: which IP pool each tenant's mail stream (transactional or marketing) uses, by
 * its onboarding phase and its governance standing and metrics. An {@link
 * dev.steward.ippool.IpPoolStrategy} proposes a {@link dev.steward.ippool.PoolPlan} of moves, each
 * with the reason that caused it; a {@link dev.steward.ippool.PoolPlanApplier} applies it through
 * the {@link dev.steward.ippool.IpPoolAdmin} SPI (the SendGrid adapter implements it) and records
 * it in a {@link dev.steward.ippool.PoolAssignmentStore}, idempotently, so a run cut short is
 * completed by the next one. The {@link dev.steward.ippool.PoolRouter} tells the transport the pool
 * of each message. {@link dev.steward.ippool.WarmupSchedule} and {@link
 * dev.steward.ippool.IpWarmup} model per-IP warm-up (SendGrid's automated hourly schedule, a manual
 * daily one), overflow to warm IPs and re-warming after idle days.
 */
package dev.steward.ippool;
