package dev.steward.sendgrid.suppression;

import dev.steward.StewardException;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.consent.SuppressionStore;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.sendgrid.admin.GroupUnsubscribe;
import dev.steward.sendgrid.admin.ListedAddress;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridApiException;
import dev.steward.sendgrid.admin.SuppressionList;
import dev.steward.sendgrid.admin.SuppressionLists;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a tenant's SendGrid suppression lists into its {@link SuppressionStore}, as due work of
 * kind {@value #KIND}, one work item per tenant. A pass reads each list of {@link #LISTS} page by
 * page within a window fixed when the pass starts ({@code start_time} = the previous pass's end, so
 * a pass reads only what is new), then the group unsubscribes, and the next pass is due {@link
 * Builder#every} later. Each page is one run of the item, and the position after it is stored as
 * the item's payload before the next page is read: after a crash the sync resumes at the next page,
 * and a page that fails is retried (with the work kind's back-off), never skipped.
 *
 * <p>Mapping: a global unsubscribe is {@link SuppressionReason#UNSUBSCRIBE}; a bounce is {@link
 * SuppressionReason#HARD_BOUNCE} (one whose status is 4.x.x is soft and does not suppress); a spam
 * report {@link SuppressionReason#SPAM_REPORT}; an invalid email {@link
 * SuppressionReason#INVALID_ADDRESS}; a group unsubscribe a {@link
 * SuppressionReason#GROUP_UNSUBSCRIBE} of the category mapped to its group ({@link
 * Builder#groupCategory}). A block does not suppress (it says how the receiver sees the sender,
 * which governance acts on), as core's {@code SuppressionListener} treats the webhook's blocks; the
 * blocks are read and counted only. Each suppression is dated by SendGrid's time, so the store's
 * dated, idempotent {@code add} ignores what it already holds or what was removed later.
 */
public final class SuppressionSync {
  private static final Logger log = LoggerFactory.getLogger(SuppressionSync.class);

  /** The work kind. */
  public static final String KIND = "sendgrid.suppression-sync";

  /** The work item id of a tenant's sync. */
  public static final String ID = "sync";

  /** How often a pass starts, by default: inside the 15 minutes promised for SendGrid's changes. */
  public static final Duration DEFAULT_EVERY = Duration.ofMinutes(10);

  /** The page size by default: SendGrid's largest. */
  public static final int DEFAULT_PAGE_SIZE = SuppressionLists.MAX_PAGE;

  /** The lists read by page, in order; the group unsubscribes follow. */
  public static final List<SuppressionList> LISTS =
      List.of(
          SuppressionList.GLOBAL_UNSUBSCRIBES,
          SuppressionList.BOUNCES,
          SuppressionList.BLOCKS,
          SuppressionList.SPAM_REPORTS,
          SuppressionList.INVALID_EMAILS);

  static final int STEP_COUNT = LISTS.size() + 1;

  /** The source recorded on suppressions this sync adds: {@code sendgrid-sync:<list>}. */
  public static final String SOURCE_PREFIX = "sendgrid-sync:";

  private final SuppressionLists lists;
  private final SuppressionStore store;
  private final Clock clock;
  private final Map<Integer, String> groupCategories;
  private final Duration every;
  private final int pageSize;
  private final KindSettings settings;
  private final WorkType<SyncCursor> type;

  private SuppressionSync(Builder b) {
    this.lists = b.admin.suppressionLists();
    this.store = b.store;
    this.clock = b.clock;
    this.groupCategories = Map.copyOf(b.groupCategories);
    this.every = b.every;
    this.pageSize = b.pageSize;
    this.settings = b.settings;
    this.type = WorkType.of(KIND, SyncCursor.VERSION, SyncCursor::encode, SyncCursor::decode);
  }

  /** A builder over the admin (parent key), the suppression store and the application's clock. */
  public static Builder builder(SendGridAdmin admin, SuppressionStore store, Clock clock) {
    return new Builder(admin, store, clock);
  }

  /** Adds this kind's handler to {@code runner}; returns {@code runner}. */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return runner.handler(type, WorkHandler.sync(this::handle), settings);
  }

  /**
   * Starts syncing the tenant: stores its item, due now, reading from {@code since} on its first
   * pass (use the epoch to take everything SendGrid holds). Idempotent: a tenant already syncing
   * keeps its place. Returns true if the item was created.
   *
   * @param subuser the tenant's subuser, read with {@code on-behalf-of}; empty for the parent
   *     account (one tenant, a customer-success team)
   */
  public boolean schedule(
      WorkStore work, TenantId tenant, Optional<String> subuser, Instant since) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(subuser, "subuser");
    Objects.requireNonNull(since, "since");
    SyncCursor first = SyncCursor.first(subuser, since);
    return work.schedule(
        WorkItem.builder(key(tenant))
            .payload(first.encode())
            .payloadVersion(SyncCursor.VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.KEEP);
  }

  /** The key of the tenant's sync item. */
  public static WorkKey key(TenantId tenant) {
    return WorkKey.of(tenant, KIND, ID);
  }

  private Next handle(WorkContext<SyncCursor> work) {
    TenantId tenant = work.item().key().tenant();
    SyncCursor at = work.payload();
    if (at.until().isEmpty()) {
      Instant end = work.startedAt();
      if (end.isBefore(at.since())) {
        end = at.since();
      }
      at = at.started(end);
    }
    try {
      if (at.step() < LISTS.size()) {
        SuppressionList list = LISTS.get(at.step());
        List<ListedAddress> page =
            lists.page(
                at.subuser(), list, at.since(), at.until().orElseThrow(), pageSize, at.offset());
        int applied = 0;
        for (ListedAddress entry : page) {
          applied += apply(tenant, list, entry) ? 1 : 0;
        }
        log.debug(
            "suppression sync of tenant {}: {} at offset {} gave {} entries, {} newly applied",
            tenant,
            list.segment(),
            at.offset(),
            page.size(),
            applied);
        SyncCursor next = page.size() == pageSize ? at.nextPage(pageSize) : at.nextStep();
        return work.rescheduleAt(work.startedAt(), next);
      }
      int applied = 0;
      Instant since = at.since();
      Instant until = at.until().orElseThrow();
      for (GroupUnsubscribe g : lists.groupUnsubscribes(at.subuser())) {
        if (!g.created().isBefore(since) && !g.created().isAfter(until)) {
          applied += applyGroup(tenant, g) ? 1 : 0;
        }
      }
      SyncCursor next = at.nextPass();
      Instant due = work.startedAt().plus(every);
      log.debug(
          "suppression sync of tenant {}: pass to {} done ({} group unsubscribes applied); next at {}",
          tenant,
          until,
          applied,
          due);
      return work.rescheduleAt(due, next);
    } catch (SendGridApiException e) {
      String why = "suppression sync of tenant " + tenant + " failed: " + e.getMessage();
      if (!e.isRetryable()) {
        // a refused key or a forbidden call does not heal by itself: the item goes DEAD for an
        // operator to see and retry, keeping its place
        return Next.fail(why);
      }
      return e.retryAfter()
          .map(t -> Duration.between(clock.instant(), t))
          .filter(d -> !d.isNegative())
          .map(d -> Next.retryAfter(d, why))
          .orElseGet(() -> Next.retry(why));
    }
  }

  private boolean apply(TenantId tenant, SuppressionList list, ListedAddress entry) {
    SuppressionReason reason;
    switch (list) {
      case GLOBAL_UNSUBSCRIBES -> reason = SuppressionReason.UNSUBSCRIBE;
      case BOUNCES -> {
        if (entry.status().filter(s -> s.startsWith("4")).isPresent()) {
          return false; // a soft bounce: the address may work tomorrow
        }
        reason = SuppressionReason.HARD_BOUNCE;
      }
      case SPAM_REPORTS -> reason = SuppressionReason.SPAM_REPORT;
      case INVALID_EMAILS -> reason = SuppressionReason.INVALID_ADDRESS;
      case BLOCKS -> {
        return false; // reputation, not the address
      }
      default -> throw new AssertionError(list);
    }
    Optional<EmailAddress> address = address(tenant, entry.email(), list.segment());
    return address.isPresent()
        && store.add(
            Suppression.of(
                tenant,
                address.get(),
                reason,
                capped(entry.created()),
                SOURCE_PREFIX + list.segment()));
  }

  private boolean applyGroup(TenantId tenant, GroupUnsubscribe g) {
    String category = groupCategories.get(g.groupId());
    if (category == null) {
      log.warn(
          "suppression sync of tenant {}: unsubscribe group {} maps to no category; skipped",
          tenant,
          g.groupId());
      return false;
    }
    Optional<EmailAddress> address = address(tenant, g.email(), "group unsubscribes");
    return address.isPresent()
        && store.add(
            Suppression.group(
                tenant,
                address.get(),
                category,
                capped(g.created()),
                SOURCE_PREFIX + "group-unsubscribes"));
  }

  private Optional<EmailAddress> address(TenantId tenant, String email, String list) {
    try {
      return Optional.of(EmailAddress.of(email));
    } catch (StewardException | IllegalArgumentException e) {
      log.warn(
          "suppression sync of tenant {}: an entry of {} is not a valid address; skipped",
          tenant,
          list);
      return Optional.empty();
    }
  }

  /** SendGrid's time, or now if SendGrid's clock runs ahead of ours. */
  private Instant capped(Instant t) {
    Instant now = clock.instant();
    return t.isAfter(now) ? now : t;
  }

  @Override
  public String toString() {
    return "SuppressionSync[every=" + every + ", pageSize=" + pageSize + "]";
  }

  /** Builds a {@link SuppressionSync}; each setter checks its value. */
  public static final class Builder {
    private final SendGridAdmin admin;
    private final SuppressionStore store;
    private final Clock clock;
    private final Map<Integer, String> groupCategories = new HashMap<>();
    private Duration every = DEFAULT_EVERY;
    private int pageSize = DEFAULT_PAGE_SIZE;
    private KindSettings settings = KindSettings.DEFAULT;

    private Builder(SendGridAdmin admin, SuppressionStore store, Clock clock) {
      this.admin = Objects.requireNonNull(admin, "admin");
      this.store = Objects.requireNonNull(store, "store");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The category whose mail goes with unsubscribe group {@code groupId} (normalised as core
     * does).
     */
    public Builder groupCategory(int groupId, String category) {
      if (groupId <= 0) {
        throw new IllegalArgumentException("group id must be positive, not " + groupId);
      }
      String c = dev.steward.model.Message.category(category);
      if (groupCategories.containsKey(groupId)) {
        throw new IllegalArgumentException("group " + groupId + " already maps to a category");
      }
      groupCategories.put(groupId, c);
      return this;
    }

    /** How often a pass starts; {@link #DEFAULT_EVERY} by default, 1 minute to 1 day. */
    public Builder every(Duration d) {
      Objects.requireNonNull(d, "every");
      if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("every must be 1 minute to 1 day, not " + d);
      }
      this.every = d;
      return this;
    }

    /** The page size, 1 to {@value SuppressionLists#MAX_PAGE}; that by default. */
    public Builder pageSize(int n) {
      if (n < 1 || n > SuppressionLists.MAX_PAGE) {
        throw new IllegalArgumentException(
            "pageSize must be 1 to " + SuppressionLists.MAX_PAGE + ", not " + n);
      }
      this.pageSize = n;
      return this;
    }

    /** The work kind's settings (retry back-off of a failing page, timeout). */
    public Builder settings(KindSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** Builds it. */
    public SuppressionSync build() {
      return new SuppressionSync(this);
    }
  }
}
