package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link SuppressionStore} (TCK), with two tenants and two instances. */
public abstract class SuppressionStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  protected static final Instant T1 = T0.plus(Duration.ofHours(1));
  protected static final Instant T2 = T0.plus(Duration.ofHours(2));
  protected static final TenantId ACME = TenantId.of("acme");
  protected static final TenantId GLOBEX = TenantId.of("globex");
  protected static final EmailAddress ANA = EmailAddress.of("ana@example.com");
  protected static final EmailAddress BO = EmailAddress.of("bo@example.com");

  protected SuppressionStore store;

  /** A new, empty store. */
  protected abstract SuppressionStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract SuppressionStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  static Suppression bounce(TenantId tenant, EmailAddress address, Instant at) {
    return Suppression.of(tenant, address, SuppressionReason.HARD_BOUNCE, at, "provider:bounce");
  }

  static Suppression group(EmailAddress address, String category, Instant at) {
    return Suppression.group(ACME, address, category, at, "provider:group-unsubscribe");
  }

  static Delisting resubscribe(EmailAddress address, String category, Instant at) {
    return Delisting.group(
        ACME, address, category, at, "provider:group-resubscribe", "group resubscribe");
  }

  @Test
  void anAddressWithNothingRecordedIsNotFound() {
    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(store.list(ACME, 10)).isEmpty();
    assertThat(store.erase(ACME, ANA)).isFalse();
    assertThat(store.eraseTenant(ACME)).isZero();
  }

  @Test
  void anAddedSuppressionIsFoundByEveryInstanceAndAddedOnce() {
    Suppression s = bounce(ACME, ANA, T0);

    assertThat(store.add(s)).isTrue();
    assertThat(store.add(s)).isFalse();
    assertThat(store.add(bounce(ACME, ANA, T0.minusSeconds(1))))
        .as("an older one is already in force")
        .isFalse();

    AddressSuppressions found = secondInstance().find(ACME, ANA).orElseThrow();
    assertThat(found.active()).containsExactly(s);
    assertThat(found.delistings()).isEmpty();
    assertThat(found.isSuppressed()).isTrue();
    assertThat(found.active(SuppressionReason.HARD_BOUNCE, Optional.empty())).contains(s);
  }

  @Test
  void aNewerConfirmationReplacesTheActiveSuppressionSoALateOlderRemovalCannotLiftIt() {
    Suppression first = bounce(ACME, ANA, T0);
    Suppression again = bounce(ACME, ANA, T0.plusSeconds(20));
    store.add(first);

    assertThat(store.add(again)).isTrue();
    assertThat(secondInstance().find(ACME, ANA).orElseThrow().active()).containsExactly(again);
  }

  @Test
  void everyReasonIsKeptWithItsTimeAndSource() {
    List<Suppression> all = new ArrayList<>();
    for (SuppressionReason r : SuppressionReason.values()) {
      Suppression s =
          r.namesCategory()
              ? Suppression.group(ACME, ANA, "Tips", T0, "provider:group-unsubscribe")
              : Suppression.of(ACME, ANA, r, T0.plusNanos(r.ordinal()), "source-" + r);
      all.add(s);
      assertThat(store.add(s)).isTrue();
    }

    assertThat(store.find(ACME, ANA).orElseThrow().active()).containsExactlyElementsOf(all);
    assertThat(store.find(ACME, ANA).orElseThrow().active().get(1).category()).contains("tips");
  }

  @Test
  void eachGroupIsItsOwnEntryAndAResubscribeRemovesOnlyIt() {
    store.add(group(ANA, "tips", T0));
    store.add(group(ANA, "offers", T0));

    assertThat(store.remove(resubscribe(ANA, "tips", T1))).isTrue();
    assertThat(store.remove(resubscribe(ANA, "tips", T1))).as("applied twice").isFalse();

    AddressSuppressions a = secondInstance().find(ACME, ANA).orElseThrow();
    assertThat(a.active()).containsExactly(group(ANA, "offers", T0));
    assertThat(a.delistings()).containsExactly(resubscribe(ANA, "tips", T1));
  }

  @Test
  void aLateOrReplayedSuppressionNeverUndoesALaterRemoval() {
    store.add(group(ANA, "tips", T0));
    store.remove(resubscribe(ANA, "tips", T1));

    assertThat(store.add(group(ANA, "tips", T0))).as("the replayed unsubscribe").isFalse();
    assertThat(store.find(ACME, ANA).orElseThrow().isSuppressed()).isFalse();

    // out of order: the resubscribe arrives before the unsubscribe it follows
    assertThat(store.remove(resubscribe(BO, "tips", T1))).isTrue();
    assertThat(store.add(group(BO, "tips", T0))).isFalse();
    assertThat(store.find(ACME, BO).orElseThrow().isSuppressed()).isFalse();
    // a newer unsubscribe holds again
    assertThat(store.add(group(BO, "tips", T2))).isTrue();
    assertThat(store.find(ACME, BO).orElseThrow().active()).containsExactly(group(BO, "tips", T2));
  }

  @Test
  void aRemovalDatedBeforeTheSuppressionChangesNothing() {
    store.add(bounce(ACME, ANA, T1));

    Delisting early =
        Delisting.of(
            ACME, ANA, SuppressionReason.HARD_BOUNCE, T0, "operator:jane", "mailbox fixed");
    assertThat(store.remove(early)).isFalse();
    assertThat(store.find(ACME, ANA).orElseThrow().active()).containsExactly(bounce(ACME, ANA, T1));
  }

  @Test
  void anOperatorDelistingIsKeptWithItsNote() {
    store.add(bounce(ACME, ANA, T0));
    Delisting delist =
        Delisting.of(
            ACME,
            ANA,
            SuppressionReason.HARD_BOUNCE,
            T1,
            "operator:jane",
            "mailbox restored; confirmed by phone");

    assertThat(store.remove(delist)).isTrue();

    AddressSuppressions a = secondInstance().find(ACME, ANA).orElseThrow();
    assertThat(a.isSuppressed()).isFalse();
    assertThat(a.delistings()).containsExactly(delist);
    assertThat(a.delisting(SuppressionReason.HARD_BOUNCE, Optional.empty()).orElseThrow().note())
        .isEqualTo("mailbox restored; confirmed by phone");
  }

  @Test
  void aPageListsSuppressedAddressesInOrderAfterTheGivenOne() {
    List<EmailAddress> addresses = new ArrayList<>();
    for (String a : List.of("eve", "dan", "cy", "bo", "al")) {
      EmailAddress address = EmailAddress.of(a + "@example.com");
      addresses.add(0, address);
      store.add(bounce(ACME, address, T0));
    }
    store.add(bounce(GLOBEX, EmailAddress.of("aa@example.com"), T0));
    // an address whose only suppression was removed is not on the list
    store.add(group(EmailAddress.of("cz@example.com"), "tips", T0));
    store.remove(resubscribe(EmailAddress.of("cz@example.com"), "tips", T1));

    List<AddressSuppressions> first = store.list(ACME, 2);
    List<AddressSuppressions> second =
        secondInstance().list(ACME, Optional.of(first.get(1).address()), 2);
    List<AddressSuppressions> third = store.list(ACME, Optional.of(second.get(1).address()), 2);

    List<EmailAddress> listed = new ArrayList<>();
    for (List<AddressSuppressions> page : List.of(first, second, third)) {
      page.forEach(a -> listed.add(a.address()));
    }
    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2);
    assertThat(listed).containsExactlyElementsOf(addresses);
    assertThat(store.list(ACME, Optional.of(EmailAddress.of("eve@example.com")), 5)).isEmpty();
    assertThat(first.get(0).active()).containsExactly(bounce(ACME, addresses.get(0), T0));
  }

  @Test
  void theSameAddressUnderTwoTenantsIsTwoEntries() {
    store.add(bounce(ACME, ANA, T0));
    assertThat(store.find(GLOBEX, ANA)).isEmpty();
    assertThat(store.list(GLOBEX, 10)).isEmpty();

    Suppression spam =
        Suppression.of(GLOBEX, ANA, SuppressionReason.SPAM_REPORT, T1, "provider:spam-report");
    assertThat(store.add(spam)).isTrue();
    assertThat(store.add(bounce(GLOBEX, ANA, T0)))
        .as("a bounce under acme is not globex's")
        .isTrue();
    assertThat(store.find(ACME, ANA).orElseThrow().active()).containsExactly(bounce(ACME, ANA, T0));

    // a removal under one tenant leaves the other's alone
    store.remove(
        Delisting.of(GLOBEX, ANA, SuppressionReason.HARD_BOUNCE, T2, "operator:jo", "fixed"));
    assertThat(store.find(ACME, ANA).orElseThrow().active()).containsExactly(bounce(ACME, ANA, T0));
    assertThat(secondInstance().find(GLOBEX, ANA).orElseThrow().active()).containsExactly(spam);

    assertThat(store.erase(GLOBEX, ANA)).isTrue();
    assertThat(store.find(GLOBEX, ANA)).isEmpty();
    assertThat(store.find(ACME, ANA)).isPresent();
  }

  @Test
  void eraseTenantDeletesOnlyThatTenantAndIsIdempotent() {
    store.add(bounce(ACME, ANA, T0));
    store.add(bounce(ACME, BO, T0));
    store.remove(resubscribe(EmailAddress.of("cy@example.com"), "tips", T0));
    store.add(bounce(GLOBEX, ANA, T0));

    assertThat(store.eraseTenant(ACME)).isEqualTo(3);
    assertThat(store.eraseTenant(ACME)).isZero();

    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(store.find(ACME, EmailAddress.of("cy@example.com"))).isEmpty();
    assertThat(store.list(ACME, 10)).isEmpty();
    assertThat(secondInstance().find(GLOBEX, ANA)).isPresent();
    assertThat(store.list(GLOBEX, 10)).hasSize(1);
  }

  @Test
  void anAddressIsKeptAsEmailAddressNormalisesIt() {
    store.add(bounce(ACME, EmailAddress.of(" Ana@Example.COM "), T0));

    assertThat(store.find(ACME, EmailAddress.of("Ana@example.com"))).isPresent();
    // the local part keeps its case, as EmailAddress compares it
    assertThat(store.find(ACME, EmailAddress.of("ana@example.com"))).isEmpty();
  }

  @Test
  void aChangeThatThrowsOrNamesAnotherEntryStoresNothing() {
    assertThatThrownBy(
            () ->
                store.update(
                    ACME,
                    ANA,
                    c -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.update(ACME, ANA, c -> AddressSuppressions.empty(GLOBEX, ANA)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("globex");
    assertThatThrownBy(() -> store.update(ACME, ANA, c -> AddressSuppressions.empty(ACME, BO)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("b***@example.com");
    assertThatThrownBy(() -> store.update(ACME, ANA, c -> null))
        .isInstanceOf(InvalidConsentException.class);

    assertThat(store.find(ACME, ANA)).isEmpty();
    assertThat(store.find(GLOBEX, ANA)).isEmpty();
    assertThat(store.find(ACME, BO)).isEmpty();
  }

  @Test
  void badArgumentsAreRefusedByName() {
    assertThatThrownBy(() -> store.find(null, ANA))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.find(ACME, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("address");
    assertThatThrownBy(() -> store.update(ACME, ANA, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("change");
    assertThatThrownBy(() -> store.add(null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("suppression");
    assertThatThrownBy(() -> store.remove(null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("delisting");
    assertThatThrownBy(() -> store.list(ACME, 0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store.list(ACME, SuppressionStore.MAX_PAGE + 1))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> store.list(ACME, null, 5))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("after");
    assertThatThrownBy(() -> store.list(null, 5))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.erase(ACME, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("address");
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void concurrentChangesOfOneAddressFromTwoInstancesLoseNone() {
    SuppressionStore other = secondInstance();
    int threads = 8;

    Concurrently.run(
        threads,
        t -> {
          SuppressionStore s = t % 2 == 0 ? store : other;
          for (int i = 0; i < 4; i++) {
            s.add(group(ANA, "c" + t + "-" + i, T0));
          }
          return null;
        });

    assertThat(store.find(ACME, ANA).orElseThrow().active()).hasSize(threads * 4);
  }

  @Test
  void findAllAnswersWhatFindAnswersForEachAddressWithinTheTenantBeyondOneChunk() {
    List<EmailAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 520; i++) {
      addresses.add(EmailAddress.of("a" + i + "@example.com"));
    }
    EmailAddress late = EmailAddress.of("a511@example.com");
    store.add(bounce(ACME, ANA, T0));
    store.add(bounce(ACME, late, T0));
    store.add(bounce(GLOBEX, EmailAddress.of("a7@example.com"), T0));
    addresses.add(ANA);

    java.util.Map<EmailAddress, AddressSuppressions> found = store.findAll(ACME, addresses);

    assertThat(found.keySet()).containsExactly(late, ANA);
    assertThat(found.get(late)).isEqualTo(store.find(ACME, late).orElseThrow());
    assertThat(store.findAll(ACME, List.of())).isEmpty();
    assertThatThrownBy(() -> store.findAll(ACME, null)).isInstanceOf(InvalidConsentException.class);
  }
}
