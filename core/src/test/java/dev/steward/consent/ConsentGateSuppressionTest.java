package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gate checks the recipient's address against the tenant's suppression list. */
class ConsentGateSuppressionTest {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final EmailAddress ANA = EmailAddress.of("ana@globex.example");

  final InMemoryConsentStore consent = InMemoryConsentStore.of();
  final InMemorySuppressionStore suppressions = InMemorySuppressionStore.of();
  final ConsentGate gate = ConsentGate.of(consent, suppressions);

  static Message message(TenantId tenant, MessageKind kind, String category) {
    return Message.builder()
        .tenant(tenant)
        .account(AccountId.of("globex"))
        .contact(ContactId.of("ana"))
        .to(ANA.value())
        .kind(kind)
        .category(category)
        .source(Source.MARKETING)
        .createdAt(T0)
        .build();
  }

  static Message message(MessageKind kind) {
    return message(ACME, kind, "offers");
  }

  void suppress(SuppressionReason reason) {
    suppressions.add(Suppression.of(ACME, ANA, reason, T0, "provider:" + reason));
  }

  @ParameterizedTest
  @EnumSource(MessageKind.class)
  void aHardBounceStopsEveryKindOfMailAtOnce(MessageKind kind) {
    suppress(SuppressionReason.HARD_BOUNCE);

    Decision d = gate.evaluate(message(kind), T0);

    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    Reason r = d.reasons().get(0);
    assertThat(r.rule()).isEqualTo(ConsentGate.RULE_ADDRESS_HARD_BOUNCE);
    assertThat(r.detail())
        .contains("hard-bounced", "since " + T0, "a***@globex.example", "no mail of any kind")
        .doesNotContain("ana@");
  }

  @ParameterizedTest
  @EnumSource(MessageKind.class)
  void anInvalidAddressStopsEveryKindOfMail(MessageKind kind) {
    suppress(SuppressionReason.INVALID_ADDRESS);

    Decision d = gate.evaluate(message(kind), T0);

    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(d.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_ADDRESS_INVALID);
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageKind.class,
      names = {"TRANSACTIONAL"},
      mode = EnumSource.Mode.EXCLUDE)
  void aSpamReportStopsAllButTransactionalMail(MessageKind kind) {
    suppress(SuppressionReason.SPAM_REPORT);

    Decision d = gate.evaluate(message(kind), T0);

    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(d.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_ADDRESS_SPAM_REPORT);
    assertThat(d.reasons().get(0).detail()).contains("reported spam", "since " + T0);
  }

  @Test
  void transactionalMailStillGoesToASpamReportingAddressUnlessTheGateSaysOtherwise() {
    suppress(SuppressionReason.SPAM_REPORT);

    Decision d = gate.evaluate(message(MessageKind.TRANSACTIONAL), T0);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.reasons())
        .extracting(Reason::rule, Reason::effect)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ConsentGate.RULE_ADDRESS_SPAM_REPORT, Outcome.ALLOW),
            org.assertj.core.groups.Tuple.tuple(ConsentGate.RULE_ACCOUNT_MAIL, Outcome.ALLOW));
    assertThat(gate.spamReportStopsTransactional()).isFalse();

    ConsentGate strict =
        ConsentGate.builder(consent)
            .suppressions(suppressions)
            .spamReportStopsTransactional(true)
            .build();
    Decision s = strict.evaluate(message(MessageKind.TRANSACTIONAL), T0);
    assertThat(s.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(s.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_ADDRESS_SPAM_REPORT);
  }

  @Test
  void anAddressUnsubscribeStopsNonAccountMailOnly() {
    suppress(SuppressionReason.UNSUBSCRIBE);

    assertThat(gate.evaluate(message(MessageKind.PROMOTIONAL), T0).outcome())
        .isEqualTo(Outcome.SUPPRESS);
    assertThat(gate.evaluate(message(MessageKind.RELATIONSHIP), T0).reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_ADDRESS_UNSUBSCRIBED);
    assertThat(gate.evaluate(message(MessageKind.TRANSACTIONAL), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(gate.evaluate(message(MessageKind.OPERATIONAL), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
  }

  @Test
  void aGroupUnsubscribeStopsItsCategoryOnly() {
    suppressions.add(Suppression.group(ACME, ANA, "offers", T0, "provider:group-unsubscribe"));

    Decision offers = gate.evaluate(message(ACME, MessageKind.PROMOTIONAL, "offers"), T0);
    assertThat(offers.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(offers.reasons().get(0).rule())
        .isEqualTo(ConsentGate.RULE_ADDRESS_GROUP_UNSUBSCRIBED);
    assertThat(offers.reasons().get(0).detail()).contains("'offers'");
    assertThat(gate.evaluate(message(ACME, MessageKind.PROMOTIONAL, "tips"), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
  }

  @Test
  void everyStoppingSuppressionIsNamedStrictestFirst() {
    suppress(SuppressionReason.UNSUBSCRIBE);
    suppress(SuppressionReason.SPAM_REPORT);
    suppress(SuppressionReason.HARD_BOUNCE);

    assertThat(gate.evaluate(message(MessageKind.PROMOTIONAL), T0).reasons())
        .extracting(Reason::rule)
        .containsExactly(
            ConsentGate.RULE_ADDRESS_HARD_BOUNCE,
            ConsentGate.RULE_ADDRESS_SPAM_REPORT,
            ConsentGate.RULE_ADDRESS_UNSUBSCRIBED);
  }

  @Test
  void anotherTenantsSuppressionOfTheSameAddressDoesNotApply() {
    suppressions.add(
        Suppression.of(GLOBEX, ANA, SuppressionReason.HARD_BOUNCE, T0, "provider:bounce"));

    assertThat(gate.evaluate(message(ACME, MessageKind.TRANSACTIONAL, "offers"), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(gate.evaluate(message(GLOBEX, MessageKind.TRANSACTIONAL, "offers"), T0).outcome())
        .isEqualTo(Outcome.SUPPRESS);
  }

  @Test
  void aRemovedSuppressionNoLongerStops() {
    suppress(SuppressionReason.HARD_BOUNCE);
    suppressions.remove(
        Delisting.of(
            ACME, ANA, SuppressionReason.HARD_BOUNCE, T0.plusSeconds(60), "operator:jo", "fixed"));

    assertThat(gate.evaluate(message(MessageKind.PROMOTIONAL), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
  }

  @Test
  void theContactsOwnConsentIsStillChecked() {
    PreferenceCentre centre =
        PreferenceCentre.of(consent, java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    centre.optOut(ACME, ContactId.of("ana"), "preference-centre");

    assertThat(gate.evaluate(message(MessageKind.PROMOTIONAL), T0).reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_GLOBAL_OPT_OUT);
  }

  @Test
  void withoutASuppressionListNoAddressIsChecked() {
    suppress(SuppressionReason.HARD_BOUNCE);

    assertThat(ConsentGate.of(consent).evaluate(message(MessageKind.PROMOTIONAL), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
  }
}
