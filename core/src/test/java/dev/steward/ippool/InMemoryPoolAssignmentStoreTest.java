package dev.steward.ippool;

/** The pool assignment store contract against the in-memory store. */
class InMemoryPoolAssignmentStoreTest extends PoolAssignmentStoreContract {
  @Override
  protected PoolAssignmentStore newStore() {
    return InMemoryPoolAssignmentStore.of();
  }
}
