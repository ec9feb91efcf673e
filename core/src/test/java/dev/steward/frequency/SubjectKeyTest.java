package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A key made by a factory and one made from its value are the same key, in every respect. */
class SubjectKeyTest {

  @Test
  void aFactoryKeyEqualsTheKeyOfItsValue() {
    SubjectKey contact = SubjectKey.contact(TenantId.of("t1"), ContactId.of("ada"));
    SubjectKey account = SubjectKey.account(TenantId.of("t1"), AccountId.of("acme"));

    assertThat(contact.value()).isEqualTo("c:ada");
    assertThat(account.value()).isEqualTo("a:acme");
    assertThat(contact)
        .isEqualTo(SubjectKey.of(TenantId.of("t1"), "c:ada"))
        .hasSameHashCodeAs(SubjectKey.of(TenantId.of("t1"), "c:ada"));
    assertThat(account)
        .isEqualTo(SubjectKey.of(TenantId.of("t1"), "a:acme"))
        .hasSameHashCodeAs(SubjectKey.of(TenantId.of("t1"), "a:acme"));
    assertThat(contact.toString()).isEqualTo("t1/c:ada");
  }

  @Test
  void keysOfDifferentKindsOrIdsDiffer() {
    assertThat(SubjectKey.contact(TenantId.of("t1"), ContactId.of("x")))
        .isNotEqualTo(SubjectKey.account(TenantId.of("t1"), AccountId.of("x")));
    assertThat(SubjectKey.contact(TenantId.of("t1"), ContactId.of("x")))
        .isNotEqualTo(SubjectKey.contact(TenantId.of("t1"), ContactId.of("y")));
    assertThat(SubjectKey.of(TenantId.of("t1"), "c:x"))
        .isNotEqualTo(SubjectKey.of(TenantId.of("t1"), "cx"));
    assertThat(SubjectKey.of(TenantId.of("t1"), "b:x"))
        .isEqualTo(SubjectKey.of(TenantId.of("t1"), "b:x"))
        .isNotEqualTo(SubjectKey.of(TenantId.of("t1"), "c:x"));
  }

  @Test
  void orderIsTheOrderOfTheValues() {
    List<SubjectKey> keys =
        List.of(
            SubjectKey.contact(TenantId.of("t1"), ContactId.of("b")),
            SubjectKey.of(TenantId.of("t1"), "a:z"),
            SubjectKey.contact(TenantId.of("t1"), ContactId.of("a")),
            SubjectKey.of(TenantId.of("t1"), "zz"),
            SubjectKey.of(TenantId.of("t1"), "b:q"));
    List<String> byKey = new ArrayList<>();
    for (SubjectKey k : new TreeSet<>(keys)) {
      byKey.add(k.value());
    }
    assertThat(byKey).containsExactly("a:z", "b:q", "c:a", "c:b", "zz");
  }

  @Test
  void aValueMustHave1To256Characters() {
    assertThatThrownBy(() -> SubjectKey.of(TenantId.of("t1"), ""))
        .isInstanceOf(InvalidLimiterArgumentException.class);
    assertThatThrownBy(() -> SubjectKey.of(TenantId.of("t1"), "c:" + "x".repeat(255)))
        .isInstanceOf(InvalidLimiterArgumentException.class);
    assertThat(SubjectKey.of(TenantId.of("t1"), "c:" + "x".repeat(254)))
        .isEqualTo(SubjectKey.of(TenantId.of("t1"), "c:" + "x".repeat(254)));
    assertThat(SubjectKey.contact(TenantId.of("t1"), ContactId.of("x".repeat(200))).value())
        .hasSize(202);
  }

  @Test
  void theSameIdUnderTwoTenantsIsTwoKeys() {
    SubjectKey one = SubjectKey.contact(TenantId.of("one"), ContactId.of("ada"));
    SubjectKey two = SubjectKey.contact(TenantId.of("two"), ContactId.of("ada"));

    assertThat(one).isNotEqualTo(two);
    assertThat(one.value()).isEqualTo(two.value()).isEqualTo("c:ada");
    assertThat(one.hashCode()).isNotEqualTo(two.hashCode());
    assertThat(one).isEqualTo(SubjectKey.of(TenantId.of("one"), "c:ada"));
    assertThat(one.compareTo(two)).isNegative();
    assertThat(one.toString()).isEqualTo("one/c:ada");
  }
}
