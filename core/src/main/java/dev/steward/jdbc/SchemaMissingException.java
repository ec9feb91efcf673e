package dev.steward.jdbc;

/**
 * A JDBC store found its table missing: the database was never bootstrapped (or is older than this
 * library). Call {@link StewardSchema#bootstrap} at start-up, or run the shipped scripts with your
 * own migration tool.
 */
public class SchemaMissingException extends JdbcStoreException {
  private static final long serialVersionUID = 1L;

  public SchemaMissingException(String message, Throwable cause) {
    super(message, cause);
  }
}
