package dev.steward.delivery;

/**
 * What the {@link EventIngestor} did with one batch.
 *
 * @param received events in the batch
 * @param duplicates events dropped as repeats (within the batch or seen before)
 * @param processed new events handed to the listeners
 */
public record IngestResult(int received, int duplicates, int processed) {}
