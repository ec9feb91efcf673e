package dev.steward.sendgrid.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.consent.ConsentChange;
import dev.steward.consent.ConsentChangeFeed;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.Subscription;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.sendgrid.admin.TenantSubusers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows core's consent change feed ({@link ConsentChangeFeed}) and hands every opt-out it finds
 * to {@link SuppressionPush}, so an opt-out recorded in Steward reaches SendGrid with no call from
 * the application: a contact opted out of all marketing goes to its tenant's global unsubscribes, a
 * contact unsubscribed from a category with a group ({@link SuppressionPush.Builder#categoryGroup})
 * to that group's. The address is the application's ({@link Builder} takes a resolver from contact
 * to address: the consent store keeps none); the subuser is the tenant's ({@link TenantSubusers}).
 * A tenant without one is not pushed to the parent account's lists unless the push names it ({@link
 * SuppressionPush.Builder#parentAccountTenant}): those lists hold for every tenant sending from the
 * parent account (see {@link SuppressionPush}).
 *
 * <p>Due work of kind {@value #KIND}: one item for the whole installation (tenant {@link
 * Recurring#SYSTEM_TENANT}), whose payload is the cursor, the sequence number of the last change
 * handled. Each run reads the changes after it, schedules the pushes (durable work items of their
 * own, due at once), and reschedules itself with the new cursor {@link Builder#every} later (1
 * minute by default), or at once when a full run's worth was read. An instance that dies mid-pass
 * leaves the cursor where the last run stored it: once its lease lapses another instance reads the
 * same changes again and schedules the same pushes, which the push's keys and SendGrid's idempotent
 * add make harmless. So an opt-out reaches SendGrid within {@code every} plus the push's run
 * (within {@code every} plus the runner's lease after a crash).
 *
 * <p>The item never goes DEAD: a pass that fails (the feed or a store unreachable) keeps its cursor
 * and runs again 30 seconds later for as long as the failure lasts. A change on which the
 * application's resolver or subuser mapping throws is handed to an item of kind {@value
 * #RETRY_KIND} for that contact, retried with the kind's back-off (DEAD for an operator after its
 * attempts), and the cursor moves on, so one contact holds back no other.
 *
 * <p>What it does not do: a resubscription is not pushed (SendGrid's unsubscribes are removed by
 * the sync's owner, not here); a contact whose consent changes again while opted out is pushed
 * again (one idempotent request); a change the resolver finds no address for is logged and skipped;
 * an erased contact (its tombstone) is skipped.
 */
public final class ConsentFollower {
  private static final Logger log = LoggerFactory.getLogger(ConsentFollower.class);

  /** The work kind. */
  public static final String KIND = "sendgrid.consent-follow";

  /** The id of its one work item. */
  public static final String ID = "cursor";

  /**
   * The work kind of a contact whose change the application's resolver or subuser mapping failed
   * on: retried on its own (the kind's back-off, DEAD for an operator after its attempts) while the
   * cursor moves on, so one contact never holds back the others.
   */
  public static final String RETRY_KIND = "sendgrid.consent-follow-retry";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Changes read per batch, by default. */
  public static final int DEFAULT_BATCH = 500;

  /** Batches one run reads at most before it yields. */
  static final int BATCHES_PER_RUN = 10;

  private static final int VERSION = 1;

  /** The pause after a run that failed part of the way, its progress kept. */
  private static final Duration PARTIAL_PAUSE = Duration.ofSeconds(30);

  private final SuppressionPush push;
  private final ConsentStore consents;
  private final ConsentChangeFeed feed;
  private final WorkStore work;
  private final TenantSubusers subusers;
  private final BiFunction<TenantId, ContactId, Optional<EmailAddress>> addresses;
  private final Clock clock;
  private final Duration every;
  private final int batch;
  private final KindSettings settings;
  private final WorkType<Long> type;
  private final WorkType<ContactId> retryType;

  private ConsentFollower(Builder b) {
    this.push = b.push;
    this.consents = b.consents;
    this.feed = b.feed;
    this.work = b.work;
    this.subusers = b.subusers;
    this.addresses = b.addresses;
    this.clock = b.clock;
    this.every = b.every;
    this.batch = b.batch;
    this.settings = b.settings;
    this.type = WorkType.of(KIND, VERSION, ConsentFollower::encode, ConsentFollower::decode);
    this.retryType =
        WorkType.of(
            RETRY_KIND, VERSION, ConsentFollower::encodeContact, ConsentFollower::decodeContact);
  }

  /**
   * A builder.
   *
   * @param push the push the opt-outs go to (register its kind on the same runner)
   * @param store the consent store, which must also be its {@link ConsentChangeFeed} (the in-memory
   *     and JDBC stores are)
   * @param work the due-work store, for the cursor and the pushes
   * @param subusers the tenants' subusers
   * @param addresses each contact's address, from the application's records
   * @param clock the clock
   * @throws IllegalArgumentException if {@code store} keeps no change feed
   */
  public static Builder builder(
      SuppressionPush push,
      ConsentStore store,
      WorkStore work,
      TenantSubusers subusers,
      BiFunction<TenantId, ContactId, Optional<EmailAddress>> addresses,
      Clock clock) {
    return new Builder(push, store, work, subusers, addresses, clock);
  }

  /** The key of the one work item. */
  public static WorkKey key() {
    return WorkKey.of(Recurring.SYSTEM_TENANT, KIND, ID);
  }

  /**
   * Adds this kind's handlers to {@code runner} and schedules the item (kept if another instance
   * did, so its cursor stands; one left DEAD is revived from its cursor); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    Optional<WorkItem> dead = work.find(key()).filter(i -> i.state() == WorkState.DEAD);
    if (dead.isPresent()) {
      // an item left DEAD (by an earlier version, or an operator's hand) is followed again from
      // its cursor; an unreadable one from the start (the pushes repeat as idempotent adds)
      long cursor;
      try {
        cursor = decode(dead.get().payload(), dead.get().payloadVersion());
      } catch (IllegalArgumentException e) {
        cursor = 0;
      }
      log.warn("the consent follower's item was DEAD; following again after change {}", cursor);
      work.schedule(
          WorkItem.builder(key())
              .payload(encode(cursor))
              .payloadVersion(VERSION)
              .dueAt(clock.instant())
              .build(),
          IfExists.REPLACE);
    }
    work.schedule(
        WorkItem.builder(key())
            .payload(encode(0L))
            .payloadVersion(VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.KEEP);
    return runner
        .handler(type, WorkHandler.sync(this::handle), settings.withConcurrency(1))
        .handler(retryType, WorkHandler.sync(this::retry), settings);
  }

  /**
   * One pass. It never ends the item: the follower is the only thing that carries opt-outs to
   * SendGrid, so a failure (the feed or a store down) keeps the cursor and tries again after a
   * pause, however long it lasts, rather than going DEAD after the kind's attempts. A change the
   * application's resolver or subuser mapping fails on goes to a retry item of its own.
   */
  private Next handle(WorkContext<Long> context) {
    long cursor = context.payload();
    boolean more = false;
    try {
      for (int b = 0; b < BATCHES_PER_RUN; b++) {
        List<ConsentChange> changes = feed.changesAfter(cursor, batch);
        for (ConsentChange c : changes) {
          try {
            follow(c.tenant(), c.contact(), c.sequence());
          } catch (LookupFailed e) {
            if (!context.claimHeld()) {
              // another instance took the pass over (this one's lease lapsed): it decides
              log.warn("consent follow pass lost its claim at change {}; stopped", c.sequence());
              return context.rescheduleAt(clock.instant(), cursor);
            }
            scheduleRetry(c.tenant(), c.contact(), e.getCause());
          }
          cursor = c.sequence();
        }
        more = changes.size() == batch;
        if (!more) {
          break;
        }
      }
    } catch (RuntimeException e) {
      // keep what was handled: the next run starts after it
      log.warn(
          "following consent changes stopped after {}: {}; trying again in {}",
          cursor,
          e.getMessage(),
          PARTIAL_PAUSE);
      return context.rescheduleAt(clock.instant().plus(PARTIAL_PAUSE), cursor);
    }
    Instant next = more ? clock.instant() : clock.instant().plus(every);
    return context.rescheduleAt(next, cursor);
  }

  /** A retry item: the contact's consent read again and followed now. */
  private Next retry(WorkContext<ContactId> context) {
    TenantId tenant = context.item().key().tenant();
    try {
      follow(tenant, context.payload(), 0);
      return Next.done();
    } catch (LookupFailed e) {
      return Next.retry(
          "following the consent change of tenant "
              + tenant
              + " contact "
              + context.payload()
              + " failed: "
              + e.getCause().getClass().getName());
    }
  }

  private void scheduleRetry(TenantId tenant, ContactId contact, Throwable why) {
    log.warn(
        "tenant {} contact {}: its consent change could not be followed ({}); retried on its own"
            + " as {}",
        tenant,
        contact,
        why.getClass().getName(),
        RETRY_KIND);
    work.schedule(
        WorkItem.builder(WorkKey.of(tenant, RETRY_KIND, retryId(contact)))
            .payload(encodeContact(contact))
            .payloadVersion(VERSION)
            .dueAt(clock.instant().plus(PARTIAL_PAUSE))
            .build(),
        IfExists.KEEP);
  }

  /** A stable id of the contact's retry item (a hash: contact ids may be long). */
  private static String retryId(ContactId contact) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(contact.value().getBytes(StandardCharsets.UTF_8));
      return "contact-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A failure of the application's resolver or subuser mapping for one contact. */
  private static final class LookupFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LookupFailed(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /**
   * Schedules the pushes the contact's consent calls for, if any; a failure of the application's
   * resolver or subuser mapping is a {@link LookupFailed}, one of a store is thrown as it is.
   */
  private void follow(TenantId tenant, ContactId contact, long sequence) {
    Optional<ContactConsent> found = consents.find(tenant, contact);
    if (found.isEmpty() || found.get().erasedAt().isPresent()) {
      return;
    }
    ContactConsent consent = found.get();
    List<String> groups = new ArrayList<>();
    for (Subscription s : consent.subscriptions().values()) {
      if (!s.subscribed() && push.hasGroup(s.category())) {
        groups.add(s.category());
      }
    }
    if (!consent.optedOut() && groups.isEmpty()) {
      return;
    }
    Optional<EmailAddress> address;
    Optional<String> subuser;
    try {
      address = addresses.apply(tenant, contact);
      if (address == null || address.isEmpty()) {
        log.warn(
            "tenant {} contact {} opted out, but no address is known for it; not pushed",
            tenant,
            contact);
        return;
      }
      subuser = Objects.requireNonNull(subusers.subuserOf(tenant), "the tenant's subuser");
    } catch (RuntimeException e) {
      throw new LookupFailed(e);
    }
    // a tenant without a subuser is refused by the push (logged, counted) unless it is named the
    // parent account's: nothing reaches the parent's lists by default
    if (consent.optedOut()) {
      push.globalOptOut(work, tenant, subuser, address.get());
    }
    for (String category : groups) {
      push.categoryUnsubscribe(work, tenant, subuser, address.get(), category);
    }
    log.debug(
        "opt-out of tenant {} contact {} scheduled for SendGrid (change {})",
        tenant,
        contact,
        sequence);
  }

  private static String encode(Long cursor) {
    return "{\"after\":" + cursor + "}";
  }

  private static Long decode(String json, int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException("consent follow payload version " + version + " unknown");
    }
    String compact = json.replaceAll("\\s", "");
    if (!compact.matches("\\{\"after\":[0-9]{1,18}}")) {
      throw new IllegalArgumentException("consent follow payload is not readable");
    }
    return Long.parseLong(compact.substring(9, compact.length() - 1));
  }

  private static String encodeContact(ContactId contact) {
    return MAPPER.createObjectNode().put("contact", contact.value()).toString();
  }

  private static ContactId decodeContact(String json, int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException("consent follow retry version " + version + " unknown");
    }
    try {
      JsonNode n = MAPPER.readTree(json).path("contact");
      if (!n.isTextual()) {
        throw new IllegalArgumentException("consent follow retry names no contact");
      }
      return ContactId.of(n.asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("consent follow retry payload is not JSON", e);
    }
  }

  @Override
  public String toString() {
    return "ConsentFollower[every=" + every + ", batch=" + batch + "]";
  }

  /** Builds a {@link ConsentFollower}; each setter checks its value. */
  public static final class Builder {
    private final SuppressionPush push;
    private final ConsentStore consents;
    private final ConsentChangeFeed feed;
    private final WorkStore work;
    private final TenantSubusers subusers;
    private final BiFunction<TenantId, ContactId, Optional<EmailAddress>> addresses;
    private final Clock clock;
    private Duration every = Duration.ofMinutes(1);
    private int batch = DEFAULT_BATCH;
    private KindSettings settings = KindSettings.DEFAULT;

    private Builder(
        SuppressionPush push,
        ConsentStore store,
        WorkStore work,
        TenantSubusers subusers,
        BiFunction<TenantId, ContactId, Optional<EmailAddress>> addresses,
        Clock clock) {
      this.push = Objects.requireNonNull(push, "push");
      this.consents = Objects.requireNonNull(store, "store");
      if (!(store instanceof ConsentChangeFeed f)) {
        throw new IllegalArgumentException(
            store.getClass().getName() + " keeps no consent change feed to follow");
      }
      this.feed = f;
      this.work = Objects.requireNonNull(work, "work");
      this.subusers = Objects.requireNonNull(subusers, "subusers");
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Time between reads of the feed when it is caught up: 1 second to 4 minutes (1 minute). */
    public Builder every(Duration every) {
      Objects.requireNonNull(every, "every");
      if (every.compareTo(Duration.ofSeconds(1)) < 0
          || every.compareTo(Duration.ofMinutes(4)) > 0) {
        throw new IllegalArgumentException(
            "the feed must be read every 1 second to 4 minutes (opt-outs are due at SendGrid"
                + " within 5), not "
                + every);
      }
      this.every = every;
      return this;
    }

    /** Changes read per batch: 1 to {@value ConsentChangeFeed#MAX_BATCH}. */
    public Builder batch(int batch) {
      if (batch < 1 || batch > ConsentChangeFeed.MAX_BATCH) {
        throw new IllegalArgumentException(
            "batch must be 1 to " + ConsentChangeFeed.MAX_BATCH + ", not " + batch);
      }
      this.batch = batch;
      return this;
    }

    /** The work kind's settings (retry back-off, timeout); one run at a time per runner. */
    public Builder settings(KindSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** Builds it. */
    public ConsentFollower build() {
      return new ConsentFollower(this);
    }
  }
}
