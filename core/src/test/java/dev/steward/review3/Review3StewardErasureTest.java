package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Reason;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of {@code Steward.eraseContact} and {@code Steward.eraseTenant}: the erasure
 * promised by DESIGN.md ("Erasing a tenant or a contact erases it from every store through one
 * call"; "the same contact ... id under two tenants is two different contacts").
 */
class Review3StewardErasureTest {
  private static final TenantId ALPHA = TenantId.of("alpha");
  private static final TenantId BRAVO = TenantId.of("bravo");
  private static final ContactId SAM = ContactId.of("sam");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));
  private final RecordingTransport transport = RecordingTransport.of();

  private Message promo(TenantId tenant, ContactId contact) {
    return Message.builder()
        .tenant(tenant)
        .account(AccountId.of("acct"))
        .contact(contact)
        .to(contact.value() + "@" + tenant.value() + ".example")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  private static CapPolicy onePerDay() {
    return CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1)))).build();
  }

  /**
   * {@code eraseContact(alpha, sam)} takes a tenant but erases the consent of every tenant's
   * contact named "sam": the consent step calls {@code preferences.erase(contact)} with no tenant.
   * Tenant bravo's sam, who opted out of marketing, is opted back in by another tenant's GDPR
   * request and receives bravo's promotional mail again: an unsubscribe silently undone, across
   * tenants.
   */
  @Test
  void erasingAContactOfOneTenantUndoesAnotherTenantsOptOut() {
    Steward steward = Steward.builder(clock).transport(transport).build();
    steward.preferences().optOut(BRAVO, SAM, "bravo-unsubscribe-page");
    assertThat(steward.dispatch(promo(BRAVO, SAM)).status()).isEqualTo(DispatchStatus.SUPPRESSED);

    steward.eraseContact(ALPHA, SAM);

    assertThat(steward.dispatch(promo(BRAVO, SAM)).status())
        .as("bravo's sam opted out; only alpha's sam was erased")
        .isEqualTo(DispatchStatus.SUPPRESSED);
  }

  /**
   * The same leak through the cap ledger: {@code capLedger().erase(SubjectKey.contact(contact))}
   * has no tenant, so erasing alpha's sam wipes the send log bravo's caps count on, and bravo's sam
   * gets a second promotional message inside a one-per-day cap.
   */
  @Test
  void erasingAContactOfOneTenantResetsAnotherTenantsCaps() {
    Steward steward = Steward.builder(clock).transport(transport).capPolicy(onePerDay()).build();
    assertThat(steward.dispatch(promo(BRAVO, SAM)).status()).isEqualTo(DispatchStatus.SENT);

    steward.eraseContact(ALPHA, SAM);

    assertThat(steward.dispatch(promo(BRAVO, SAM)).status())
        .as("bravo's one-per-day cap for sam is used; erasing alpha's sam must not reset it")
        .isEqualTo(DispatchStatus.DEFERRED);
  }

  /**
   * {@code eraseTenant} promises to erase "everything every store holds for a tenant" but runs only
   * the work and delivery-ledger steps (on main, after the consent merge, consent and suppressions
   * too): the send logs in the cap ledger and the calendar entries of the tenant's contacts stay.
   * Seen from outside: the erased tenant's contact is still capped by mail the erased tenant sent,
   * e.g. when the tenant id is re-onboarded, and the logs (contact ids, times) are personal data
   * the erasure claimed to remove.
   */
  @Test
  void erasingATenantLeavesItsContactsSendLogsBehind() {
    ContactId only = ContactId.of("alpha-only-contact");
    Steward steward = Steward.builder(clock).transport(transport).capPolicy(onePerDay()).build();
    assertThat(steward.dispatch(promo(ALPHA, only)).status()).isEqualTo(DispatchStatus.SENT);

    steward.eraseTenant(ALPHA);

    assertThat(steward.dispatch(promo(ALPHA, only)).status())
        .as("nothing of tenant alpha is left to count against its contact")
        .isEqualTo(DispatchStatus.SENT);
  }

  /**
   * A deferred message that comes due while the contact is erased still goes out, and its delivery
   * record (naming the erased contact) is written after the erasure returned. {@code eraseContact}
   * cancels the work item "first, so that no deferred message goes out while the rest is erased",
   * but an item a runner has already claimed is past every check: the cancel deletes the row, the
   * runner goes on to the intent and the transport. The caller is told the contact is erased while
   * mail to it is still leaving and its ledger row is about to be rewritten.
   */
  @Test
  void aDeferredMessageClaimedBeforeTheErasureStillGoesOutAfterIt() throws Exception {
    AtomicBoolean hold = new AtomicBoolean();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Gate slow =
        new Gate() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            if (hold.get()) {
              entered.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return Decision.allow(Reason.of("slow", "ok", dev.steward.delivery.Outcome.ALLOW, ""));
          }
        };
    Steward steward =
        Steward.builder(clock).transport(transport).capPolicy(onePerDay()).gate(slow).build();
    steward.dispatch(promo(ALPHA, SAM));
    Message deferred = promo(ALPHA, SAM);
    assertThat(steward.dispatch(deferred).status()).isEqualTo(DispatchStatus.DEFERRED);
    clock.advance(Duration.ofDays(1).plusMinutes(1));

    hold.set(true);
    Thread runner = new Thread(steward::runDue, "review3-runner");
    runner.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    steward.eraseContact(ALPHA, SAM); // returns: "erased"
    release.countDown();
    runner.join(10_000);

    assertThat(transport.sent())
        .as("the deferred message was pending when the erasure ran")
        .doesNotContain(deferred);
    assertThat(steward.stores().ledger().find(ALPHA, deferred.idempotencyKey()))
        .as("no delivery record of the erased contact after the erasure")
        .isEmpty();
  }

  /**
   * {@code eraseTenant} accepts the library's own reserved tenant ({@code Recurring.SYSTEM_TENANT},
   * "steward-system", a valid {@code TenantId} an ISV's customer may well choose as a slug) and
   * cancels every upkeep item under it: the stuck-send sweep, the delivery-ledger and cap-ledger
   * retention and the purge of event marks stop for good (they are stored once, when an instance is
   * built), with no error. A tenant-facing erasure must refuse the reserved tenant.
   */
  @Test
  void erasingTheReservedSystemTenantSilentlyStopsAllUpkeep() {
    Steward steward = Steward.builder(clock).transport(transport).build();
    long upkeep = steward.stores().work().count(dev.steward.schedule.WorkState.READY);
    assertThat(upkeep).as("the recurring upkeep items").isPositive();

    try {
      steward.eraseTenant(dev.steward.schedule.Recurring.SYSTEM_TENANT);
    } catch (RuntimeException refused) {
      // refusing is the right answer
    }

    assertThat(steward.stores().work().count(dev.steward.schedule.WorkState.READY))
        .as("retention, the stuck-send sweep and the event purge are still scheduled")
        .isEqualTo(upkeep);
  }

  /**
   * Provider events accepted before the erasure and applied after it bring the erased contact back.
   * {@code eraseContact} cancels "other work about it" by subject, but a webhook batch is one work
   * item for many contacts, not about any one: it survives, and when the runner applies it the
   * consent listener writes a fresh consent record (source, time, category) for the contact the
   * caller was just told is erased: here a group re-subscribe, so the erased person is back on the
   * "news" list with a consent given after their erasure.
   */
  @Test
  void anEventBatchAcceptedBeforeTheErasureRecreatesTheContactAfterIt() {
    Steward steward = Steward.builder(clock).transport(transport).build();
    steward.accept(
        java.util.List.of(
            dev.steward.model.EmailEvent.builder(
                    "ev-resub-1",
                    dev.steward.model.EmailEventType.GROUP_RESUBSCRIBE,
                    clock.instant())
                .tenant(ALPHA)
                .category("news")
                .contact(SAM)
                .email("sam@alpha.example")
                .build()));

    steward.eraseContact(ALPHA, SAM);
    steward.runDue();

    assertThat(steward.preferences().records(ALPHA, SAM))
        .as("nothing about sam after the erasure")
        .isEmpty();
  }
}
