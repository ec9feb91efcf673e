package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.SendResult;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.MoveReason;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The chosen pool reaches the transport with each message, and erasing a tenant erases it. */
class StewardIpPoolTest {
  private static final TenantId TENANT = TenantId.of("northwind");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T15:00:00Z"));
  private final InMemoryPoolAssignmentStore assignments = InMemoryPoolAssignmentStore.of();

  private Message message(String contact, MessageKind kind) {
    return Message.builder()
        .tenant(TENANT)
        .account(AccountId.of("acme"))
        .contact(ContactId.of(contact))
        .to(contact + "@acme.example")
        .recipientZone(ZoneId.of("Europe/Berlin"))
        .kind(kind)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  private void assign(Stream stream, String pool, Tier tier) {
    assignments.apply(
        new PoolChange(
            TENANT,
            stream,
            1,
            Optional.empty(),
            PoolName.of(pool),
            tier,
            MoveReason.of(MoveReason.Cause.MANUAL, "set by the test"),
            "plan-test",
            clock.instant()));
  }

  @Test
  void theTransportReadsEachMessagesPoolFromItsTenantsStream() {
    assign(Stream.TRANSACTIONAL, "premium-tx", Tier.PREMIUM);
    assign(Stream.MARKETING, "shared-standard", Tier.STANDARD);
    AtomicReference<Steward> steward = new AtomicReference<>();
    Map<String, Optional<PoolName>> seen = new ConcurrentHashMap<>();
    RecordingTransport transport = RecordingTransport.of();
    transport.respondWith(
        m -> {
          seen.put(m.contact().value(), steward.get().poolRouter().orElseThrow().poolFor(m));
          return SendResult.accepted("sg-" + m.id().value());
        });
    steward.set(Steward.builder(clock).transport(transport).ipPoolAssignments(assignments).build());

    assertThat(steward.get().dispatch(message("ann", MessageKind.TRANSACTIONAL)).status())
        .isEqualTo(DispatchStatus.SENT);
    steward.get().dispatch(message("bob", MessageKind.PROMOTIONAL));

    assertThat(seen)
        .containsEntry("ann", Optional.of(PoolName.of("premium-tx")))
        .containsEntry("bob", Optional.of(PoolName.of("shared-standard")));
  }

  @Test
  void withoutAssignmentsTheRouterFindsNoPoolAndErasureRemovesThem() {
    Steward plain = Steward.builder(clock).transport(RecordingTransport.of()).build();
    // the router reads the stores' assignments: none yet, so the provider picks
    assertThat(plain.poolRouter().orElseThrow().poolFor(message("ann", MessageKind.PROMOTIONAL)))
        .isEmpty();
    assertThat(plain.poolRouter().orElseThrow().assignments())
        .isSameAs(plain.stores().poolAssignments());

    assign(Stream.MARKETING, "shared-standard", Tier.STANDARD);
    Steward steward =
        Steward.builder(clock)
            .transport(RecordingTransport.of())
            .ipPoolAssignments(assignments)
            .build();
    steward.eraseTenant(TENANT);

    assertThat(assignments.assignments(TENANT)).isEmpty();
    assertThat(assignments.changes(TENANT, 10)).isEmpty();
    assertThat(steward.poolRouter().orElseThrow().poolFor(message("ann", MessageKind.PROMOTIONAL)))
        .isEmpty();
  }
}
