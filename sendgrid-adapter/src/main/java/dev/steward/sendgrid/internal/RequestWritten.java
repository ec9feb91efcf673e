package dev.steward.sendgrid.internal;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * One request's OkHttp event listener: it notes when the request began to be written, after which a
 * failure is ambiguous (SendGrid may have acted on it). Attach it as the request's tag of this
 * class and build the client with {@link HttpClients#listenerFactory()}.
 */
public final class RequestWritten extends EventListener {
  private volatile boolean started;

  /** A listener that has seen nothing yet. */
  public RequestWritten() {}

  @Override
  public void requestHeadersStart(Call call) {
    started = true;
  }

  /** True once the request's headers began to be written. */
  public boolean started() {
    return started;
  }
}
