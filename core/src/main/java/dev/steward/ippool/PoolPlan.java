package dev.steward.ippool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What a strategy proposes: moves in the order they should be applied (good senders into shared
 * pools first, so a new pool's reputation is made by them). Its {@link #id()} is derived from the
 * moves alone (tenant, stream, pool and version each), so two instances that plan the same moves
 * hold the same plan, and the audit names the plan each change came from.
 *
 * @param id a digest of the moves, the same for the same moves (1 to {@value #MAX_ID_LENGTH}
 *     characters)
 * @param plannedAt when the plan was made
 * @param moves at most one per tenant and stream
 */
public record PoolPlan(String id, Instant plannedAt, List<PoolMove> moves) {
  /** The longest plan id: the JDBC store's audit keeps 64 characters. */
  public static final int MAX_ID_LENGTH = 64;

  public PoolPlan {
    InvalidIpPoolException.requireNonNull(id, "plan id");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new InvalidIpPoolException(
          "plan id must be 1 to "
              + MAX_ID_LENGTH
              + " characters (the audit's plan_id column holds "
              + MAX_ID_LENGTH
              + "), was "
              + id.length());
    }
    InvalidIpPoolException.requireNonNull(plannedAt, "plan plannedAt");
    moves = List.copyOf(InvalidIpPoolException.requireNonNull(moves, "plan moves"));
    Set<String> seen = new HashSet<>();
    for (PoolMove m : moves) {
      if (!seen.add(m.tenant().value() + "\u0000" + m.stream())) {
        throw new InvalidIpPoolException(
            "plan " + id + " moves " + m.tenant() + "/" + m.stream() + " twice");
      }
    }
  }

  /** A plan of {@code moves}, with the id derived from them. */
  public static PoolPlan of(Instant plannedAt, List<PoolMove> moves) {
    InvalidIpPoolException.requireNonNull(moves, "plan moves");
    return new PoolPlan(digest(moves), plannedAt, moves);
  }

  /** True if there is nothing to do. */
  public boolean isEmpty() {
    return moves.isEmpty();
  }

  private static String digest(List<PoolMove> moves) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (PoolMove m : moves) {
        String line =
            m.tenant().value()
                + "\u0000"
                + m.stream()
                + "\u0000"
                + m.fromVersion()
                + "\u0000"
                + m.to().value()
                + "\n";
        d.update(line.getBytes(StandardCharsets.UTF_8));
      }
      return "plan-" + HexFormat.of().formatHex(d.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
