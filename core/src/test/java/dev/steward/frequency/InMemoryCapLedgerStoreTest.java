package dev.steward.frequency;

/** Runs the {@link CapLedgerStoreContract} against the in-memory store. */
class InMemoryCapLedgerStoreTest extends CapLedgerStoreContract {
  @Override
  protected CapLedgerStore newStore() {
    return new InMemoryCapLedgerStore();
  }
}
