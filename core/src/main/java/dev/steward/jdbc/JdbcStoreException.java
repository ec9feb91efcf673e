package dev.steward.jdbc;

import dev.steward.StewardException;

/** A database call of a JDBC store failed; the cause is the driver's exception. */
public class JdbcStoreException extends StewardException {
  private static final long serialVersionUID = 1L;

  public JdbcStoreException(String message) {
    super(message);
  }

  public JdbcStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
