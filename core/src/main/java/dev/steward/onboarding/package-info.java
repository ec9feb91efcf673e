/**
 * The onboarding workflow: the eight phases of the ISV framework for every tenant.
 *
 * <p>{@link dev.steward.onboarding.OnboardingStateMachine} keeps one durable {@link
 * dev.steward.onboarding.OnboardingRecord} per tenant in an {@link
 * dev.steward.onboarding.OnboardingStore}, moves it under guards ({@link
 * dev.steward.onboarding.IllegalTransitionException} when a move is refused) and tells {@link
 * dev.steward.onboarding.OnboardingListener}s. {@link dev.steward.onboarding.OnboardingWorkflow}
 * runs a tenant through the first three phases into the pilot: vetting ({@link
 * dev.steward.onboarding.TenantProfile}, {@link dev.steward.onboarding.VettingCheck}, blocklists
 * over a {@link dev.steward.onboarding.DnsResolver}), sender-domain verification ({@link
 * dev.steward.onboarding.SenderAuthentication}, {@link dev.steward.onboarding.SenderDomainChecks},
 * {@link dev.steward.onboarding.SenderFallbackPolicy}) and content review ({@link
 * dev.steward.onboarding.ContentCheck} over {@link dev.steward.onboarding.SampleEmail}s).
 */
package dev.steward.onboarding;
