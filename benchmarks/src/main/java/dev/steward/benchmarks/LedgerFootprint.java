package dev.steward.benchmarks;

import dev.steward.delivery.Decision;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap bytes per recorded send in {@link InMemoryCapLedgerStore}: records {@code sends} allowed
 * sends for each of {@code contacts} contacts through the limiter and measures the store's object
 * graph with JOL before, halfway and after. Run it as in BENCHMARKS.md; arguments: contacts
 * (default 100000) and sends per contact (default 10).
 */
public final class LedgerFootprint {

  private LedgerFootprint() {}

  /** Records the sends and prints the store's size per send. */
  public static void main(String[] args) {
    int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int sends = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    if (contacts < 1 || sends < 2) {
      throw new IllegalArgumentException("need at least 1 contact and 2 sends per contact");
    }
    // the benchmark's cap shapes, with limits no send reaches, so every decision records a send
    CapPolicy policy =
        CapPolicy.builder()
            .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(7))))
            .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(30))))
            .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(1))).eachCategory())
            .build();
    // one second per decision: 1,000,000 sends span 11.6 days, inside every window, so none is
    // pruned and the store holds every send it recorded
    SettableClock clock = SettableClock.of(SimulatedTime.START, ZoneOffset.UTC);
    InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
    FrequencyCapLimiter limiter = FrequencyCapLimiter.builder(store, clock).policy(policy).build();

    long empty = GraphLayout.parseInstance(store).totalSize();
    long half = 0;
    long recorded = 0;
    int halfSends = sends / 2;
    for (int round = 0; round < sends; round++) {
      for (int c = 0; c < contacts; c++) {
        Decision d = limiter.decide(message(c, round, clock.advance(Duration.ofSeconds(1))));
        if (!d.isAllowed()) {
          throw new IllegalStateException("send " + round + " of contact " + c + " refused: " + d);
        }
        recorded++;
      }
      if (round + 1 == halfSends) {
        half = GraphLayout.parseInstance(store).totalSize();
      }
    }
    long full = GraphLayout.parseInstance(store).totalSize();

    double perSend = (double) (full - empty) / recorded;
    double marginal = (double) (full - half) / ((long) (sends - halfSends) * contacts);
    System.out.printf(
        Locale.ROOT,
        "contacts=%d sends/contact=%d recorded=%d%n"
            + "store bytes: empty=%d after %d sends/contact=%d after %d=%d%n"
            + "bytes per recorded send (all included)=%.1f%n"
            + "bytes per further send (sends %d..%d, per-contact overhead excluded)=%.1f%n",
        contacts,
        sends,
        recorded,
        empty,
        halfSends,
        half,
        sends,
        full,
        perSend,
        halfSends + 1,
        sends,
        marginal);
  }

  private static Message message(int contact, int round, Instant now) {
    String id = "contact-" + contact;
    // a fresh category string per message, as messages parsed from requests would carry
    String category = new String(Workload.CATEGORIES.get(round % Workload.CATEGORIES.size()));
    return Message.builder()
        .tenant(TenantId.of("tenant-1"))
        .account(AccountId.of("account-" + contact / 10))
        .contact(ContactId.of(id))
        .to(id + "@example.com")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category(category)
        .source(Source.MARKETING)
        .createdAt(now)
        .build();
  }
}
