package dev.steward.jdbc;

/**
 * The connection failed after a write may have reached the database (during an auto-commit
 * statement, or during a commit), so whether it was applied is unknown; it was not retried, since
 * repeating it could apply it twice or answer differently. Read the state back to find out.
 */
public class StoreOutcomeUnknownException extends JdbcStoreException {
  private static final long serialVersionUID = 1L;

  public StoreOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
