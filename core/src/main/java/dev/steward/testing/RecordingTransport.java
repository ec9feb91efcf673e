package dev.steward.testing;

import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link MailTransport} that sends nothing and records every message handed to it: the dry run
 * for tests and examples. By default it accepts everything; {@link #respondWith} scripts failures.
 * Thread-safe.
 */
public final class RecordingTransport implements MailTransport {

  private RecordingTransport() {}

  /** A transport that accepts every message and records it. */
  public static RecordingTransport of() {
    return new RecordingTransport();
  }

  private final List<Message> sent = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile Function<Message, SendResult> responder =
      m -> SendResult.accepted("dry-run-" + ids.incrementAndGet());

  @Override
  public SendResult send(Message message) {
    SendResult r = responder.apply(message);
    if (r.status() == SendResult.Status.ACCEPTED || r.status() == SendResult.Status.UNKNOWN) {
      synchronized (sent) {
        sent.add(message);
      }
    }
    return r;
  }

  /** Makes every later send answer with what {@code responder} returns. */
  public RecordingTransport respondWith(Function<Message, SendResult> responder) {
    this.responder = Objects.requireNonNull(responder, "responder");
    return this;
  }

  /** Goes back to accepting everything. */
  public RecordingTransport acceptAll() {
    return respondWith(m -> SendResult.accepted("dry-run-" + ids.incrementAndGet()));
  }

  /** The messages accepted (or possibly sent, for UNKNOWN answers), in order. */
  public List<Message> sent() {
    synchronized (sent) {
      return List.copyOf(sent);
    }
  }

  /** Forgets what was recorded. */
  public void clear() {
    synchronized (sent) {
      sent.clear();
    }
  }
}
