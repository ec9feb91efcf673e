package dev.steward.frequency;

/** {@link ConfirmedSendContract} on the in-memory cap ledger. */
class InMemoryConfirmedSendTest extends ConfirmedSendContract {
  @Override
  protected CapLedgerStore newStore() {
    return InMemoryCapLedgerStore.of();
  }
}
