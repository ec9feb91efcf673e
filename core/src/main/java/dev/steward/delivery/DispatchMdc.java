package dev.steward.delivery;

import dev.steward.model.Message;

/**
 * The message's tenant and id in the SLF4J MDC while this thread works on it, so every log line
 * (the pipeline's, the gates', the transport's) can be traced to them; the previous values come
 * back on close.
 */
final class DispatchMdc {
  static final String TENANT = "steward.tenant";
  static final String MESSAGE = "steward.message";
  private final String tenant;
  private final String message;

  private DispatchMdc(Message m) {
    this.tenant = org.slf4j.MDC.get(TENANT);
    this.message = org.slf4j.MDC.get(MESSAGE);
    org.slf4j.MDC.put(TENANT, m.tenant().value());
    org.slf4j.MDC.put(MESSAGE, m.id().value());
  }

  static DispatchMdc of(Message m) {
    return new DispatchMdc(m);
  }

  void close() {
    restore(TENANT, tenant);
    restore(MESSAGE, message);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      org.slf4j.MDC.remove(key);
    } else {
      org.slf4j.MDC.put(key, value);
    }
  }
}
