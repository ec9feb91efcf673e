package dev.steward.journey;

import dev.steward.internal.json.StrictJson;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.util.Optional;

/**
 * The work items that wake enrolments: one per enrolment, kind {@link JourneyScheduler#STEP_KIND},
 * keyed by the enrolment id, its subject the contact, its payload the enrolment's sequence number.
 */
final class JourneyWork {
  static final WorkType<Integer> TYPE =
      WorkType.of(JourneyScheduler.STEP_KIND, 1, JourneyWork::encodeSeq, JourneyWork::decodeSeq);

  private final WorkStore work;

  JourneyWork(WorkStore work) {
    this.work = work;
  }

  WorkStore store() {
    return work;
  }

  static WorkKey key(Enrolment e) {
    return WorkKey.of(e.tenant(), JourneyScheduler.STEP_KIND, e.id());
  }

  static WorkItem item(Enrolment e) {
    return WorkItem.builder(key(e))
        .subject(e.contact().value())
        .payload(encodeSeq(e.seq()))
        .payloadVersion(TYPE.version())
        .dueAt(e.dueAt())
        .build();
  }

  /** Schedules the enrolment's item at its due time, replacing the one there; as the store says. */
  boolean replace(Enrolment e) {
    return work.schedule(item(e), IfExists.REPLACE);
  }

  /** Schedules the enrolment's item unless it has one; true if it had none. */
  boolean keep(Enrolment e) {
    return work.schedule(item(e), IfExists.KEEP);
  }

  /** Cancels the enrolment's item. */
  void cancel(Enrolment e) {
    work.cancel(key(e));
  }

  /** After a stored change: the next run at its due time, or no more runs once finished. */
  void after(Enrolment next) {
    if (next.state().finished()) {
      cancel(next);
    } else {
      replace(next);
    }
  }

  /**
   * Makes sure an unfinished enrolment that does not wait has work due no later than the enrolment:
   * a change stored before its reschedule failed would otherwise wait for the old item (a timeout,
   * a task's due date) instead of going on now.
   */
  void ensureDue(Enrolment e) {
    if (e.state().finished() || e.state() == EnrolmentState.WAITING) {
      return;
    }
    Optional<WorkItem> pending = work.find(key(e));
    if (pending.isEmpty() || pending.get().dueAt().isAfter(e.dueAt())) {
      replace(e);
    }
  }

  static String encodeSeq(Integer seq) {
    return "{\"seq\":" + seq + "}";
  }

  /**
   * The sequence number of a payload. A payload exactly as {@link #encodeSeq} writes it is read
   * directly: every step run decodes one, and a full strict JSON parse of it cost a tenth of the
   * in-memory step path's allocation. Anything else goes through the strict parser ({@link
   * #strictSeq}), which answers alike for every payload both can read.
   */
  static Integer decodeSeq(String json, int version) {
    if (version == 1) {
      int seq = plainSeq(json);
      if (seq >= 0) {
        return seq;
      }
    }
    return strictSeq(json, version);
  }

  private static final String SEQ_PREFIX = "{\"seq\":";

  /** The seq of {@code {"seq":<digits>}} with no sign, space or leading zero; -1 otherwise. */
  static int plainSeq(String json) {
    int from = SEQ_PREFIX.length();
    int to = json.length() - 1;
    if (!json.startsWith(SEQ_PREFIX) || to < from || json.charAt(to) != '}') {
      return -1;
    }
    return JourneyMessageIds.seqAt(json, from, to);
  }

  /** The seq of a payload read by the strict JSON parser. */
  static Integer strictSeq(String json, int version) {
    var n =
        StrictJson.read(json, "journey step payload", (m, c) -> new IllegalArgumentException(m, c));
    if (version != 1 || !n.path("seq").canConvertToInt()) {
      throw new IllegalArgumentException("unreadable journey step payload v" + version);
    }
    return n.get("seq").asInt();
  }
}
