package dev.steward.delivery;

class InMemoryDeferredQueueTest extends DeferredQueueContract {
  @Override
  protected DeferredQueue newStore() {
    return new InMemoryDeferredQueue();
  }

  @Override
  protected DeferredQueue secondInstance() {
    return store;
  }
}
