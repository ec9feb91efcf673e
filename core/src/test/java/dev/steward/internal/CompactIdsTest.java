package dev.steward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** mem: the one-pass parse agrees with the UUID class on what is canonical and on the bits. */
class CompactIdsTest {

  /** The reference: what {@link UUID#toString} writes back unchanged. */
  private static boolean canonical(String s) {
    try {
      return UUID.fromString(s).toString().equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Test
  void aCanonicalUuidParsesToItsBitsAndBackToItsText() {
    Random random = new Random(7);
    long[] bits = new long[2];
    for (int i = 0; i < 2_000; i++) {
      UUID u = new UUID(random.nextLong(), random.nextLong());
      String s = u.toString();
      assertThat(CompactIds.isCanonicalUuid(s)).as(s).isTrue();
      assertThat(CompactIds.parse(s, bits)).as(s).isTrue();
      assertThat(bits).containsExactly(u.getMostSignificantBits(), u.getLeastSignificantBits());
      assertThat(CompactIds.high(s)).isEqualTo(u.getMostSignificantBits());
      assertThat(CompactIds.low(s)).isEqualTo(u.getLeastSignificantBits());
      assertThat(CompactIds.text(bits[0], bits[1])).isEqualTo(s);
    }
  }

  @Test
  void anyOneCharacterChangedIsJudgedAsTheUuidClassJudgesIt() {
    Random random = new Random(11);
    char[] odd = {'A', 'F', 'G', 'g', 'z', '-', '/', ':', '`', ' ', '\u0660', '\uff10', 'é', '0'};
    long[] bits = {42, 43};
    for (int i = 0; i < 2_000; i++) {
      char[] text = new UUID(random.nextLong(), random.nextLong()).toString().toCharArray();
      text[random.nextInt(36)] = odd[random.nextInt(odd.length)];
      String s = new String(text);
      boolean expected = canonical(s);
      assertThat(CompactIds.isCanonicalUuid(s)).as(s).isEqualTo(expected);
      assertThat(CompactIds.parse(s, bits)).as(s).isEqualTo(expected);
      if (!expected) {
        assertThat(bits).as("left alone for " + s).containsExactly(42, 43);
      } else {
        bits[0] = 42;
        bits[1] = 43;
      }
    }
  }

  @Test
  void otherLengthsAndShapesAreNotUuids() {
    long[] bits = new long[2];
    String u = "0b6f4a52-6a1e-4c1b-9a7e-3f1d2c3b4a59";
    for (String s :
        new String[] {
          "",
          "x",
          u.substring(1),
          u + "0",
          u.replace("-", "0"),
          u.toUpperCase(),
          "0" + u.substring(1, 35) + "-"
        }) {
      assertThat(CompactIds.isCanonicalUuid(s)).as(s).isEqualTo(canonical(s));
      assertThat(CompactIds.parse(s, bits)).as(s).isEqualTo(canonical(s));
    }
  }
}
