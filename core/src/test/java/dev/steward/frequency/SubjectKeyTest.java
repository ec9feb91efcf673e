package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A key made by a factory and one made from its value are the same key, in every respect. */
class SubjectKeyTest {

  @Test
  void aFactoryKeyEqualsTheKeyOfItsValue() {
    SubjectKey contact = SubjectKey.contact(ContactId.of("ada"));
    SubjectKey account = SubjectKey.account(AccountId.of("acme"));

    assertThat(contact.value()).isEqualTo("c:ada");
    assertThat(account.value()).isEqualTo("a:acme");
    assertThat(contact)
        .isEqualTo(new SubjectKey("c:ada"))
        .hasSameHashCodeAs(new SubjectKey("c:ada"));
    assertThat(account)
        .isEqualTo(new SubjectKey("a:acme"))
        .hasSameHashCodeAs(new SubjectKey("a:acme"));
    assertThat(contact.toString()).isEqualTo("c:ada");
  }

  @Test
  void keysOfDifferentKindsOrIdsDiffer() {
    assertThat(SubjectKey.contact(ContactId.of("x")))
        .isNotEqualTo(SubjectKey.account(AccountId.of("x")));
    assertThat(SubjectKey.contact(ContactId.of("x")))
        .isNotEqualTo(SubjectKey.contact(ContactId.of("y")));
    assertThat(new SubjectKey("c:x")).isNotEqualTo(new SubjectKey("cx"));
    assertThat(new SubjectKey("b:x"))
        .isEqualTo(new SubjectKey("b:x"))
        .isNotEqualTo(new SubjectKey("c:x"));
  }

  @Test
  void orderIsTheOrderOfTheValues() {
    List<SubjectKey> keys =
        List.of(
            SubjectKey.contact(ContactId.of("b")),
            new SubjectKey("a:z"),
            SubjectKey.contact(ContactId.of("a")),
            new SubjectKey("zz"),
            new SubjectKey("b:q"));
    List<String> byKey = new ArrayList<>();
    for (SubjectKey k : new TreeSet<>(keys)) {
      byKey.add(k.value());
    }
    assertThat(byKey).containsExactly("a:z", "b:q", "c:a", "c:b", "zz");
  }

  @Test
  void aValueMustHave1To256Characters() {
    assertThatThrownBy(() -> new SubjectKey(""))
        .isInstanceOf(InvalidLimiterArgumentException.class);
    assertThatThrownBy(() -> new SubjectKey("c:" + "x".repeat(255)))
        .isInstanceOf(InvalidLimiterArgumentException.class);
    assertThat(new SubjectKey("c:" + "x".repeat(254)))
        .isEqualTo(new SubjectKey("c:" + "x".repeat(254)));
    assertThat(SubjectKey.contact(ContactId.of("x".repeat(200))).value()).hasSize(202);
  }
}
