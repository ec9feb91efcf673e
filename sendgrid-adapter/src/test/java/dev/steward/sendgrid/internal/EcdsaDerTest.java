package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** EcdsaDer takes exactly one encoding of (r, s) and refuses every other spelling. */
class EcdsaDerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String R =
      "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18";
  private static final String S =
      "00b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db";

  private static EcdsaDer.Pair decode(String hex) {
    return EcdsaDer.decode(HEX.parseHex(hex)).orElse(null);
  }

  @Test
  void theDerFormIsRead() {
    EcdsaDer.Pair p = decode("3045" + "0220" + R + "0221" + S);
    assertThat(p).isNotNull();
    assertThat(p.r()).isEqualTo(new BigInteger(R, 16));
    assertThat(p.s()).isEqualTo(new BigInteger(S, 16));
    EcdsaDer.Pair small = decode("3006020105020101");
    assertThat(small.r()).isEqualTo(BigInteger.valueOf(5));
    assertThat(small.s()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void lengthsMustBeShortFormAndExact() {
    // the sequence's length in the long form, with a leading zero, too long, too short
    assertThat(decode("308145" + "0220" + R + "0221" + S)).isNull();
    assertThat(decode("30820045" + "0220" + R + "0221" + S)).isNull();
    assertThat(decode("3046" + "0220" + R + "0221" + S)).isNull();
    assertThat(decode("3044" + "0220" + R + "0221" + S)).isNull();
    // an integer's length in the long form, or wrong by one
    assertThat(decode("3046" + "028120" + R + "0221" + S)).isNull();
    assertThat(decode("3045" + "0221" + R + "0221" + S)).isNull();
    assertThat(decode("3045" + "0220" + R + "0222" + S)).isNull();
    // indefinite length
    assertThat(decode("3080" + "0220" + R + "0221" + S + "0000")).isNull();
  }

  @Test
  void nothingMayFollowOrBeMissing() {
    assertThat(decode("3045" + "0220" + R + "0221" + S + "00")).isNull();
    assertThat(decode("3047" + "0220" + R + "0221" + S + "0000")).isNull();
    assertThat(decode("3048" + "0220" + R + "0221" + S + "020100")).isNull();
    assertThat(decode("3022" + "0220" + R)).isNull();
    assertThat(decode("")).isNull();
    assertThat(decode("30")).isNull();
    assertThat(decode("3000")).isNull();
    assertThat(decode("30020200")).isNull(); // an INTEGER with no content
  }

  @Test
  void integersMustBeInTheirShortestForm() {
    // a leading zero before a byte whose top bit is clear
    assertThat(decode("3046" + "022100" + R + "0221" + S)).isNull();
    // s without the zero its top bit needs is negative: decoded, and refused later as out of range
    EcdsaDer.Pair negative = decode("3044" + "0220" + R + "0220" + S.substring(2));
    assertThat(negative).isNotNull();
    assertThat(negative.s().signum()).isNegative();
    // a leading 0xFF before a byte whose top bit is set
    assertThat(decode("3007" + "0202ff80" + "020101")).isNull();
    assertThat(decode("3006" + "0201ff" + "020101").r()).isEqualTo(BigInteger.ONE.negate());
  }

  @Test
  void tagsMustBeSequenceAndIntegers() {
    assertThat(decode("3145" + "0220" + R + "0221" + S)).isNull();
    assertThat(decode("3045" + "0320" + R + "0221" + S)).isNull();
    assertThat(decode("3045" + "0220" + R + "0921" + S)).isNull();
    assertThat(decode("3006" + "020100" + "010101")).isNull();
  }
}
