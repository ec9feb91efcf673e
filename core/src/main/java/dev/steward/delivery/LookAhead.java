package dev.steward.delivery;

import dev.steward.model.Message;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priority with look-ahead: where a capped message waits, among the other messages of its contact
 * that wait for the same slot.
 *
 * <p>A gate that {@linkplain Gate#holdsSlots holds slots} defers a message to the first instant its
 * rules allow, its slot. The messages of one contact waiting for one slot form a queue, one message
 * a {@link #SPACING} apart from that instant on, and go out in that order: each is looked at again
 * when due, so the first takes the slot and the caps defer the others to their next one. A message
 * joins the queue behind every message of its own priority or higher (so equal priorities keep the
 * order they came in), and ahead of the first lower-priority one whose place lies within the
 * horizon: it takes that place, and that message and the ones behind it move back by one place,
 * each lower-priority one with a reason naming the message that displaced it. A lower-priority
 * place beyond the horizon is not taken. Nor is a place whose taking would move a message of the
 * newcomer's priority or higher, queued behind it, past that message's send-by, or a place after
 * the newcomer's own send-by.
 *
 * <p>The move is one {@link WorkStore#replaceIfUnchanged} of the messages that move: it happens
 * only if none of them changed or was claimed since the queue was read, so of two instances that
 * read the same queue one takes the place and the other reads again. A message is never lost (it
 * stays stored, at its old place or its new one) nor sent twice (the ledger's idempotency key).
 *
 * <p>Limits. A message that takes a free place displaces nobody and is written without that check,
 * so two instances queuing two messages at the same moment onto the same free place may both take
 * it: they are then claimed by priority, the caps defer the second, and nothing is lost, but two
 * equal-priority messages queued at once by two instances have no defined order. The horizon is
 * judged when a message is deferred: a message queued behind a place beyond it does not look again
 * until it is due. A place is an instant, so a message whose rules give another instant than the
 * queue's (another category's cap, say) does not compete with it.
 */
final class LookAhead {
  private static final Logger log = LoggerFactory.getLogger(LookAhead.class);

  /** The gate name of the look-ahead's reasons. */
  static final String GATE = "look-ahead";

  /** The distance between two places of a slot's queue. */
  static final Duration SPACING = Duration.ofSeconds(1);

  /** How often a place is looked for again after another instance changed the queue meanwhile. */
  static final int MAX_TRIES = 8;

  private final WorkStore work;
  private final Duration horizon;

  LookAhead(WorkStore work, Duration horizon) {
    this.work = work;
    this.horizon = horizon;
  }

  /** A waiting message of the queue, as stored and as read. */
  private record Waiting(WorkItem item, DeferredWork work) {}

  /** A message moved back one place. */
  record Moved(DeferredMessage before, DeferredMessage after, boolean displaced) {}

  /**
   * Where a message goes: {@code placed} (its place in the queue, perhaps one a lower-priority
   * message held), the messages moved back for it, whether its own work item is written already
   * ({@code written}), and the reason to add to its decision, if any.
   */
  record Placement(DeferredMessage placed, List<Moved> moved, boolean written, Reason reason) {}

  /**
   * Finds {@code next}'s place, from its slot {@code next.dueAt()} on, and moves lower-priority
   * messages back if it takes one of theirs. With {@code writeOwn} its own work item is written
   * with the move (a new dispatch); otherwise (its item is claimed by the caller, who reschedules
   * it) only the others are.
   */
  Placement place(DeferredMessage next, Instant now, boolean writeOwn) {
    Message m = next.message();
    WorkKey own = DeferredWork.key(m);
    int rank = m.priority().ordinal();
    Instant limit = now.plus(horizon);
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      TreeMap<Instant, List<Waiting>> queue = queue(m, own, next.dueAt());
      Instant at = next.dueAt();
      Ahead ahead = new Ahead();
      boolean take = false;
      while (queue.containsKey(at)) {
        boolean beyond = at.isAfter(limit);
        boolean below = allBelow(queue.get(at), rank);
        if (!beyond && below && !pushesPastSendBy(queue, at, rank)) {
          take = true;
          break;
        }
        ahead.count(queue.get(at), rank, beyond, below);
        at = at.plus(SPACING);
      }
      if (!take) {
        DeferredMessage placed = at.equals(next.dueAt()) ? next : next.movedTo(at);
        Reason why =
            ahead.total() == 0
                ? null
                : Reason.of(
                    GATE, "queued", Outcome.DEFER, ahead.detail(next.dueAt(), limit), null, at);
        return new Placement(placed, List.of(), false, why);
      }
      DeferredMessage placed = next.movedTo(at);
      if (m.sendBy().isPresent() && at.isAfter(m.sendBy().get())) {
        // the place is after its send-by: the dispatcher drops it, so it moves nobody back
        return new Placement(placed, List.of(), false, null);
      }
      List<WorkItem> expected = new ArrayList<>();
      List<WorkItem> writes = new ArrayList<>();
      List<Moved> moved = new ArrayList<>();
      for (Instant p = at; queue.containsKey(p); p = p.plus(SPACING)) {
        Instant back = p.plus(SPACING);
        for (Waiting w : queue.get(p)) {
          DeferredMessage before = w.work().deferred();
          boolean lower = before.message().priority().ordinal() < rank;
          DeferredMessage after =
              lower
                  ? before.displacedTo(back, m.id(), displacedReason(m, p, back))
                  : before.movedTo(back);
          expected.add(w.item());
          writes.add(new DeferredWork(after, null, true).item());
          moved.add(new Moved(before, after, lower));
        }
      }
      if (writeOwn) {
        writes.add(new DeferredWork(placed, null, true).item());
      }
      if (work.replaceIfUnchanged(expected, writes)) {
        Moved first = moved.get(0);
        log.debug(
            "message {} ({}) took the slot at {} of message {}",
            m.id(),
            m.priority(),
            at,
            first.before().message().id());
        Reason why =
            Reason.of(
                GATE,
                "priority",
                Outcome.DEFER,
                "takes the slot at "
                    + at
                    + " that message "
                    + first.before().message().id()
                    + " ("
                    + first.before().message().priority()
                    + ") waited for; "
                    + moved.size()
                    + " message(s) moved back",
                null,
                at);
        return new Placement(placed, List.copyOf(moved), writeOwn, why);
      }
      // another instance changed the queue (or claimed one of it) since it was read: read again
    }
    log.warn(
        "message {}: the queue for its slot at {} kept changing; it waits at its slot without"
            + " displacing",
        m.id(),
        next.dueAt());
    return new Placement(next, List.of(), false, null);
  }

  /**
   * The contact's messages waiting for a slot at {@code from} or later, by their instant; the
   * message's own item, overdue ones and those waiting for another reason (a transport retry, an
   * unknown outcome) are not in it.
   */
  private TreeMap<Instant, List<Waiting>> queue(Message m, WorkKey own, Instant from) {
    TreeMap<Instant, List<Waiting>> queue = new TreeMap<>();
    for (WorkItem i : work.findBySubject(m.tenant(), m.contact().value(), DeferredWork.KIND)) {
      if (i.key().equals(own) || i.state() != WorkState.READY || i.dueAt().isBefore(from)) {
        continue;
      }
      DeferredWork w;
      try {
        w = DeferredWork.TYPE.decode(i.payload(), i.payloadVersion());
      } catch (RuntimeException unreadable) {
        continue; // its handler makes it DEAD for operators; it holds no place here
      }
      if (w.slot() && w.unsettledSince() == null) {
        queue.computeIfAbsent(i.dueAt(), k -> new ArrayList<>()).add(new Waiting(i, w));
      }
    }
    return queue;
  }

  /**
   * True if taking the place at {@code at} would move a message of priority {@code rank} or higher
   * (queued behind it, so moved back one place too) past its send-by: a message is not dropped for
   * one of no higher priority that came after it.
   */
  private static boolean pushesPastSendBy(
      TreeMap<Instant, List<Waiting>> queue, Instant at, int rank) {
    for (Instant p = at; queue.containsKey(p); p = p.plus(SPACING)) {
      Instant back = p.plus(SPACING);
      for (Waiting w : queue.get(p)) {
        Message m = w.work().deferred().message();
        if (m.priority().ordinal() >= rank
            && m.sendBy().isPresent()
            && back.isAfter(m.sendBy().get())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean allBelow(List<Waiting> place, int rank) {
    for (Waiting w : place) {
      if (w.item().priority() >= rank) {
        return false;
      }
    }
    return true;
  }

  /**
   * The messages a newcomer waits behind, by why it did not take their place (rsend: the reason
   * named them all "of its priority or higher", also lower-priority ones whose place it could not
   * take).
   */
  private static final class Ahead {
    /** Of the newcomer's priority or higher. */
    int atLeast;

    /** Of lower priority, at a place beyond the horizon. */
    int beyond;

    /** Of lower priority, sharing a place with one of the newcomer's priority or higher. */
    int shared;

    /**
     * Of lower priority, at a place whose taking would move one of the newcomer's priority or
     * higher past its send-by.
     */
    int sendBy;

    void count(List<Waiting> place, int rank, boolean beyondHorizon, boolean allBelow) {
      for (Waiting w : place) {
        if (w.item().priority() >= rank) {
          atLeast++;
        } else if (beyondHorizon) {
          beyond++;
        } else if (!allBelow) {
          shared++;
        } else {
          sendBy++;
        }
      }
    }

    int total() {
      return atLeast + beyond + shared + sendBy;
    }

    String detail(Instant slot, Instant limit) {
      List<String> parts = new ArrayList<>(4);
      if (atLeast > 0) {
        parts.add(atLeast + " of its priority or higher");
      }
      if (beyond > 0) {
        parts.add(
            beyond
                + " of lower priority whose place lies beyond the look-ahead horizon ("
                + limit
                + ")");
      }
      if (shared > 0) {
        parts.add(shared + " of lower priority sharing a place with one of its priority or higher");
      }
      if (sendBy > 0) {
        parts.add(
            sendBy
                + " of lower priority whose place it may not take without moving one of its"
                + " priority or higher past its send-by");
      }
      return "waits behind "
          + total()
          + " message(s) queued for the slot at "
          + slot
          + ": "
          + String.join(", ", parts);
    }
  }

  private static String displacedReason(Message by, Instant slot, Instant back) {
    return GATE
        + "/displaced: message "
        + by.id()
        + " ("
        + by.priority()
        + ") took its place at "
        + slot
        + "; waits until "
        + back;
  }
}
