package dev.steward.delivery;

/**
 * What {@link EventIngestor#accept} did with one batch. Once it returns, the accepted events are
 * stored durably: answer the provider with a 2xx.
 *
 * @param received events in the batch
 * @param duplicates events dropped as repeats (within the batch or accepted before)
 * @param accepted new events stored for processing
 * @param workItems work items the accepted events were stored in (a large batch is split)
 */
public record AcceptResult(int received, int duplicates, int accepted, int workItems) {}
