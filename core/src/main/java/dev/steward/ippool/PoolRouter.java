package dev.steward.ippool;

import dev.steward.model.Message;
import java.util.Optional;

/**
 * Tells the transport which pool a message leaves from: the current assignment of the message's
 * tenant and stream ({@link Stream#of} its kind), read when the message is sent, so mail deferred
 * before a move leaves from the pool the tenant is in now. The SendGrid adapter's content function
 * puts it in {@code ip_pool_name}:
 *
 * <pre>{@code
 * PoolRouter router = PoolRouter.of(assignments);
 * SendGridTransport.builder(clock, credentials,
 *     m -> MailContent.builder(from).ipPoolName(router.poolFor(m).map(PoolName::value).orElse(null))...build());
 * }</pre>
 *
 * An empty answer (no assignment yet) leaves the choice to the provider (the account's default).
 */
public final class PoolRouter {
  private final PoolAssignmentStore assignments;

  private PoolRouter(PoolAssignmentStore assignments) {
    this.assignments = assignments;
  }

  /** A router over the assignments. */
  public static PoolRouter of(PoolAssignmentStore assignments) {
    return new PoolRouter(InvalidIpPoolException.requireNonNull(assignments, "assignments"));
  }

  /** The pool the message should leave from, if its tenant's stream is assigned one. */
  public Optional<PoolName> poolFor(Message message) {
    InvalidIpPoolException.requireNonNull(message, "message");
    return assignments.find(message.tenant(), Stream.of(message.kind())).map(PoolAssignment::pool);
  }

  /** The store the router reads. */
  public PoolAssignmentStore assignments() {
    return assignments;
  }
}
