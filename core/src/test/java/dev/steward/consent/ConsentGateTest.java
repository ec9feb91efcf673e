package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.internal.ComputedList;
import dev.steward.internal.RuleOutline;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConsentGateTest {
  static final TenantId T = TenantId.of("acme");
  static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
  static final ContactId ANA = ContactId.of("ana");

  final SettableClock clock = SettableClock.of(T0);
  final InMemoryConsentStore store = InMemoryConsentStore.of();
  final PreferenceCentre centre = PreferenceCentre.of(store, clock);
  final ConsentGate gate = ConsentGate.of(store);

  static Message message(MessageKind kind, String category) {
    return Message.builder()
        .tenant(TenantId.of("acme"))
        .account(AccountId.of("globex"))
        .contact(ANA)
        .to("ana@globex.example")
        .kind(kind)
        .category(category)
        .source(Source.MARKETING)
        .createdAt(T0)
        .build();
  }

  @Test
  void allowsWhenTheContactSaidNothing() {
    Decision d = gate.evaluate(message(MessageKind.PROMOTIONAL, "offers"), T0);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.reasons()).extracting(Reason::rule).containsExactly(ConsentGate.RULE_CONSENTED);
    assertThat(gate.name()).isEqualTo("consent");
  }

  @Test
  void aConsentedDecisionsOutlineMatchesItsReasonReadLater() {
    Decision d = gate.evaluate(message(MessageKind.PROMOTIONAL, "offers"), T0);

    RuleOutline<?> outline = d.reasons() instanceof ComputedList<?> c ? c.outline() : null;
    assertThat(outline).isNotNull();
    assertThat(outline.size()).isEqualTo(1);
    assertThat(outline.gate(0)).isEqualTo("consent");
    assertThat(outline.rule(0)).isEqualTo(ConsentGate.RULE_CONSENTED);
    assertThat(outline.effect(0)).isEqualTo(Outcome.ALLOW);
    // an opt-out after the decision does not change what it says
    centre.optOut(T, ANA, "preference-centre");
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.gate()).isEqualTo("consent");
              assertThat(r.rule()).isEqualTo(ConsentGate.RULE_CONSENTED);
              assertThat(r.effect()).isEqualTo(Outcome.ALLOW);
              assertThat(r.detail())
                  .isEqualTo(
                      "contact ana has not opted out of PROMOTIONAL mail nor unsubscribed from 'offers'");
            });
    assertThat(d)
        .isEqualTo(
            Decision.allow(
                Reason.of(
                    "consent",
                    ConsentGate.RULE_CONSENTED,
                    Outcome.ALLOW,
                    "contact ana has not opted out of PROMOTIONAL mail nor unsubscribed from"
                        + " 'offers'")));
    assertThatThrownBy(() -> outline.rule(1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageKind.class,
      names = {"EDUCATIONAL", "RELATIONSHIP", "PROMOTIONAL"})
  void suppressesNonAccountMailAfterGlobalOptOut(MessageKind kind) {
    centre.optOut(T, ANA, "preference-centre");
    Decision d = gate.evaluate(message(kind, "tips"), T0);

    assertThat(d.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.gate()).isEqualTo("consent");
              assertThat(r.rule()).isEqualTo(ConsentGate.RULE_GLOBAL_OPT_OUT);
              assertThat(r.effect()).isEqualTo(Outcome.SUPPRESS);
              assertThat(r.detail()).contains("ana").contains(T0.toString());
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = MessageKind.class,
      names = {"TRANSACTIONAL", "OPERATIONAL"})
  void accountMailPassesAnOptOutAndSaysSo(MessageKind kind) {
    centre.optOut(T, ANA, "provider:spam-report");
    centre.unsubscribe(T, ANA, "billing", "preference-centre");
    Decision d = gate.evaluate(message(kind, "billing"), T0);

    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rule()).isEqualTo(ConsentGate.RULE_ACCOUNT_MAIL);
              assertThat(r.effect()).isEqualTo(Outcome.ALLOW);
              assertThat(r.detail()).contains(kind.name()).contains("opted out");
            });
  }

  @Test
  void suppressesOnlyTheUnsubscribedCategory() {
    centre.unsubscribe(T, ANA, "tips", "preference-centre");

    Decision tips = gate.evaluate(message(MessageKind.EDUCATIONAL, "tips"), T0);
    Decision updates = gate.evaluate(message(MessageKind.EDUCATIONAL, "product-updates"), T0);

    assertThat(tips.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(tips.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_CATEGORY_UNSUBSCRIBED);
    assertThat(tips.reasons().get(0).detail()).contains("'tips'");
    assertThat(updates.outcome()).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void optOutTakesEffectAtOnceForAMessageAllowedBefore() {
    Message deferredEarlier = message(MessageKind.PROMOTIONAL, "offers");
    assertThat(gate.evaluate(deferredEarlier, T0).outcome()).isEqualTo(Outcome.ALLOW);

    clock.advance(Duration.ofMinutes(5));
    centre.optOut(T, ANA, "preference-centre");

    // the dispatcher evaluates the deferred message again on its retry
    Decision retry = gate.evaluate(deferredEarlier, clock.instant());
    assertThat(retry.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(retry.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_GLOBAL_OPT_OUT);

    centre.optIn(T, ANA, "preference-centre");
    assertThat(gate.evaluate(deferredEarlier, clock.instant()).outcome()).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void doubleOptInCategoriesNeedAConfirmation() {
    ConsentGate strict = ConsentGate.builder(store).requireConfirmedOptIn("Newsletter").build();
    Message newsletter = message(MessageKind.PROMOTIONAL, "newsletter");

    Decision none = strict.evaluate(newsletter, T0);
    assertThat(none.outcome()).isEqualTo(Outcome.SUPPRESS);
    assertThat(none.reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_DOUBLE_OPT_IN);

    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    assertThat(strict.evaluate(newsletter, T0).outcome()).isEqualTo(Outcome.SUPPRESS);

    centre.confirmConsent(T, ANA, "newsletter", T0);
    assertThat(strict.evaluate(newsletter, T0).outcome()).isEqualTo(Outcome.ALLOW);
    // categories outside the policy do not need a confirmation
    assertThat(strict.evaluate(message(MessageKind.PROMOTIONAL, "offers"), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
    // account mail in such a category is not held back
    assertThat(
            ConsentGate.builder(store)
                .requireConfirmedOptIn("receipts")
                .build()
                .evaluate(message(MessageKind.TRANSACTIONAL, "receipts"), T0)
                .outcome())
        .isEqualTo(Outcome.ALLOW);
  }

  @Test
  void aConfirmationDoesNotSurviveAnUnsubscribeAndResubscribe() {
    ConsentGate strict = ConsentGate.builder(store).requireConfirmedOptIn("newsletter").build();
    Message newsletter = message(MessageKind.PROMOTIONAL, "newsletter");
    centre.requestConsent(T, ANA, "newsletter", "signup-form");
    centre.confirmConsent(T, ANA, "newsletter", T0);
    clock.advance(Duration.ofDays(1));
    centre.unsubscribe(T, ANA, "newsletter", "preference-centre");
    centre.subscribe(T, ANA, "newsletter", "provider:group-resubscribe");

    assertThat(strict.evaluate(newsletter, clock.instant()).outcome()).isEqualTo(Outcome.SUPPRESS);
  }

  @Test
  void rejectsAnInvalidDoubleOptInCategory() {
    assertThatThrownBy(() -> ConsentGate.builder(store).requireConfirmedOptIn("news letter"))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("category");
  }

  @Test
  void anOptOutUnderOneTenantLeavesTheSameContactIdOfAnotherAlone() {
    centre.optOut(TenantId.of("globex"), ANA, "preference-centre");

    assertThat(gate.evaluate(message(MessageKind.PROMOTIONAL, "offers"), T0).outcome())
        .isEqualTo(Outcome.ALLOW);
  }
}
