package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store pages its contacts from an order it keeps until a contact comes or goes:
 * pages after a change show the change, a changed profile is read as it is now, and a cursor at a
 * contact no longer kept still finds the next.
 */
class ContactsPagingOrderTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId BETA = TenantId.of("beta");

  private static ContactProfile profile(TenantId t, String c, Map<String, String> attributes) {
    return new ContactProfile(
        t,
        ContactId.of(c),
        AccountId.of("acct"),
        Optional.empty(),
        Optional.of(ZoneOffset.UTC),
        attributes);
  }

  private static List<String> ids(List<ContactProfile> page) {
    return page.stream().map(p -> p.tenant().value() + "/" + p.contact().value()).toList();
  }

  @Test
  void pagesFollowContactsThatComeGoOrChangeBetweenThem() {
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    for (String c : List.of("c", "a", "e")) {
      store.putContact(profile(ACME, c, Map.of()));
    }
    store.putContact(profile(BETA, "a", Map.of()));
    List<ContactProfile> first = store.contacts(Optional.empty(), 2);
    assertThat(ids(first)).containsExactly("acme/a", "acme/c");

    // between pages: the cursor's contact goes, one comes before and one after it, one changes
    store.eraseContact(ACME, ContactId.of("c"));
    store.putContact(profile(ACME, "b", Map.of()));
    store.putContact(profile(ACME, "d", Map.of()));
    store.setAttribute(ACME, ContactId.of("e"), "plan", Optional.of("gold"));

    List<ContactProfile> second = store.contacts(Optional.of(first.get(1)), 2);
    assertThat(ids(second)).containsExactly("acme/d", "acme/e");
    assertThat(second.get(1).attributes()).containsEntry("plan", "gold");
    assertThat(ids(store.contacts(Optional.of(second.get(1)), 5))).containsExactly("beta/a");

    store.eraseTenant(BETA);
    assertThat(ids(store.contacts(Optional.of(second.get(1)), 5))).isEmpty();
    assertThat(ids(store.contacts(Optional.empty(), 10)))
        .containsExactly("acme/a", "acme/b", "acme/d", "acme/e");
  }
}
