/**
 * Journeys: durable multi-step programmes for contacts (onboarding cadences, renewal timelines),
 * defined as validated, versioned data ({@link dev.steward.journey.JourneyDefinition}, in Java or
 * JSON) and run by the {@link dev.steward.journey.JourneyScheduler} as due work on the {@code
 * dev.steward.schedule} engine, every send through the {@code Dispatcher}.
 */
package dev.steward.journey;
