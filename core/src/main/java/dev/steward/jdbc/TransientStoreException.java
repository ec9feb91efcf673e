package dev.steward.jdbc;

/**
 * A database call failed on a transient error (deadlock, serialization failure, lock or statement
 * time-out, lost connection) on every attempt its {@link JdbcRetryPolicy} allowed; nothing of it
 * was applied, and calling again later may succeed.
 */
public class TransientStoreException extends JdbcStoreException {
  private static final long serialVersionUID = 1L;

  private final int attempts;

  public TransientStoreException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** How many times the call was attempted. */
  public int attempts() {
    return attempts;
  }
}
