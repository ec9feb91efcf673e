/**
 * JDBC implementations of Steward's store interfaces, for PostgreSQL (several application instances
 * sharing one database) and H2 2.x (one embedded instance).
 *
 * <p>Call {@link dev.steward.jdbc.StewardSchema#bootstrap} once at start-up; it applies the
 * versioned scripts shipped under {@code dev/steward/jdbc/<dialect>/} and records them in {@code
 * steward_schema_version}. Every table is prefixed {@code steward_}. Each store has a static {@code
 * create(DataSource)} factory; pass a pooled data source in production.
 *
 * <p>Instants are stored as BIGINT nanoseconds since the epoch, immune to session and JVM time
 * zones and exact (range 1677 to 2262). Claims use {@code SELECT ... FOR UPDATE SKIP LOCKED} with a
 * lease; read-modify-write stores insert the row if absent and then lock it with {@code FOR
 * UPDATE}, always one row at a time in sorted key order, so they never deadlock each other. The
 * calendar locks one row per account and contact it checks ({@code steward_calendar_lock}), in the
 * same sorted way, for the transaction that checks its rules and writes the entry.
 *
 * <p>H2 notes: H2 waits for a row lock at most its {@code LOCK_TIMEOUT} (1 s by default) and then
 * fails the call; when many threads update one contact or subject, raise it in the URL ({@code
 * ;LOCK_TIMEOUT=10000}). Schema bootstrap on H2 is serialised within one JVM only, as an H2
 * database belongs to one instance.
 *
 * <p>Bad input fails with {@link dev.steward.jdbc.InvalidStoreInputException} before anything is
 * written; database failures surface as {@link dev.steward.jdbc.JdbcStoreException}.
 */
package dev.steward.jdbc;
