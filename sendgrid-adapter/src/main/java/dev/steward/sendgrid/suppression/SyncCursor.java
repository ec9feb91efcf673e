package dev.steward.sendgrid.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a tenant's sync stands, kept as its work item's payload so that a crash resumes at the page
 * after the last one applied.
 *
 * @param subuser the subuser read for ({@code on-behalf-of}); empty for the parent account
 * @param since the start of the window read in this pass (the previous pass's end)
 * @param until the end of this pass's window, fixed when the pass starts so offsets stay stable;
 *     empty between passes
 * @param step the list being read: an index into {@link SuppressionSync#LISTS}, then the group
 *     unsubscribes
 * @param offset the offset of the next page of that list
 */
record SyncCursor(
    Optional<String> subuser, Instant since, Optional<Instant> until, int step, int offset) {

  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The first pass: everything SendGrid holds from {@code since}. */
  static SyncCursor first(Optional<String> subuser, Instant since) {
    return new SyncCursor(subuser, since, Optional.empty(), 0, 0);
  }

  SyncCursor started(Instant end) {
    return new SyncCursor(subuser, since, Optional.of(end), 0, 0);
  }

  SyncCursor nextPage(int pageSize) {
    return new SyncCursor(subuser, since, until, step, offset + pageSize);
  }

  SyncCursor nextStep() {
    return new SyncCursor(subuser, since, until, step + 1, 0);
  }

  /** The next pass reads from this pass's end (inclusive: a repeat at the edge is idempotent). */
  SyncCursor nextPass() {
    return new SyncCursor(subuser, until.orElse(since), Optional.empty(), 0, 0);
  }

  String encode() {
    ObjectNode o = MAPPER.createObjectNode();
    subuser.ifPresent(s -> o.put("subuser", s));
    o.put("since", since.getEpochSecond());
    until.ifPresent(u -> o.put("until", u.getEpochSecond()));
    o.put("step", step);
    o.put("offset", offset);
    return o.toString();
  }

  static SyncCursor decode(String json, int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "suppression sync payload version " + version + " unknown");
    }
    try {
      JsonNode o = MAPPER.readTree(json);
      JsonNode sub = o.path("subuser");
      JsonNode until = o.path("until");
      int step = o.path("step").asInt(-1);
      int offset = o.path("offset").asInt(-1);
      if (!o.path("since").canConvertToLong()
          || step < 0
          || step >= SuppressionSync.STEP_COUNT
          || offset < 0) {
        throw new IllegalArgumentException("suppression sync payload is malformed");
      }
      return new SyncCursor(
          sub.isTextual() ? Optional.of(sub.asText()) : Optional.empty(),
          Instant.ofEpochSecond(o.path("since").asLong()),
          until.canConvertToLong()
              ? Optional.of(Instant.ofEpochSecond(until.asLong()))
              : Optional.empty(),
          step,
          offset);
    } catch (IOException e) {
      throw new IllegalArgumentException("suppression sync payload is not JSON", e);
    }
  }
}
