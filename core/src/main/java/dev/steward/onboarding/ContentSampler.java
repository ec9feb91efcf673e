package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TenantGate}'s content sampling: about one allowed message in N of a tenant allowed
 * free-form content goes to the {@link ContentReviewer}.
 *
 * <p>Which messages is decided from the message id alone ({@link #chosen}): a 64-bit FNV-1a hash of
 * the id's UTF-8 bytes, mixed by MurmurHash3's 64-bit finaliser, taken modulo N; a message is
 * sampled when the remainder is 0. The choice needs no counter, so every instance (and every
 * restart) samples the same messages, N instances together sample one in N rather than N in N, and
 * a retry of a message is sampled exactly when its first dispatch was. An instance hands a message
 * it has already handed over to the reviewer in its last {@value #REMEMBERED} samples not again.
 */
final class ContentSampler {
  private static final Logger log = LoggerFactory.getLogger(TenantGate.class);

  /** How many sampled message ids an instance remembers, so that its own retries go once. */
  static final int REMEMBERED = 4_096;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final Optional<ContentReviewer> reviewer;
  private final int every;
  private final Predicate<TenantId> freeForm;
  private final Map<MessageId, Boolean> handedOver =
      new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      };

  ContentSampler(Optional<ContentReviewer> reviewer, int every, Predicate<TenantId> freeForm) {
    this.reviewer = reviewer;
    this.every = every;
    this.freeForm = freeForm;
  }

  /**
   * True if the message with this id is one of the one in {@code every} sampled: the same answer in
   * every instance and JVM.
   */
  static boolean chosen(MessageId id, int every) {
    return every == 1 || Long.remainderUnsigned(hash(id), every) == 0;
  }

  /** FNV-1a over the id's UTF-8 bytes, then MurmurHash3's fmix64 so that every bit counts. */
  static long hash(MessageId id) {
    long h = FNV_OFFSET;
    for (byte b : id.value().getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Hands {@code message} to the reviewer if it is sampled, and says so in {@code reasons}. */
  void sample(Message message, Instant now, List<Reason> reasons) {
    if (reviewer.isEmpty() || !chosen(message.id(), every)) {
      return;
    }
    boolean free;
    try {
      free = freeForm.test(message.tenant());
    } catch (RuntimeException e) {
      log.warn(
          "free-form predicate failed on tenant {}; message {} not sampled, it goes on",
          message.tenant(),
          message.id(),
          e);
      return;
    }
    if (!free) {
      return;
    }
    reasons.add(
        reason(
            "content-sample",
            Outcome.ALLOW,
            "sampled for content review (one message in " + every + ", chosen by its id)"));
    boolean first;
    synchronized (handedOver) {
      first = handedOver.put(message.id(), Boolean.TRUE) == null;
    }
    if (!first) {
      log.debug("message {} was handed to the content reviewer before; not again", message.id());
      return;
    }
    try {
      reviewer.get().sampled(message, now);
    } catch (RuntimeException e) {
      log.warn("content reviewer failed on message {}; the message goes on", message.id(), e);
    }
  }
}
