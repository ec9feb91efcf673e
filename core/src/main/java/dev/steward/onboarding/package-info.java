/**
 * The onboarding workflow: the eight phases of the ISV framework for every tenant.
 *
 * <p>{@link dev.steward.onboarding.OnboardingStateMachine} keeps one durable {@link
 * dev.steward.onboarding.OnboardingRecord} per tenant in an {@link
 * dev.steward.onboarding.OnboardingStore}, moves it under guards ({@link
 * dev.steward.onboarding.IllegalTransitionException} when a move is refused) and tells {@link
 * dev.steward.onboarding.OnboardingListener}s.
 */
package dev.steward.onboarding;
