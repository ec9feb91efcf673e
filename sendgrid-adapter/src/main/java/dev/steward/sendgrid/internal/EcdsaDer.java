package dev.steward.sendgrid.internal;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Decodes an ECDSA signature's DER form, SEQUENCE { r INTEGER, s INTEGER }, strictly: definite
 * lengths in the short form only (a P-256 signature is at most 72 bytes, so DER never needs the
 * long form, and BER's other spellings of one length are refused), each length exactly what
 * follows, integers in their shortest two's-complement form, nothing after the sequence. So one
 * signature has one encoding: a re-encoded (malleated) signature is refused, not accepted.
 *
 * <p>A negative integer is well-formed DER; it is returned as it is and the verifier refuses it as
 * out of range, like zero or n.
 */
final class EcdsaDer {
  private EcdsaDer() {}

  /** The pair (r, s) of a signature. */
  record Pair(BigInteger r, BigInteger s) {}

  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;

  /** The (r, s) of a DER signature, or empty when it is not exactly that encoding. */
  static Optional<Pair> decode(byte[] der) {
    if (der.length < 2 || (der[0] & 0xFF) != SEQUENCE) {
      return Optional.empty();
    }
    int length = der[1] & 0xFF;
    if (length >= 0x80 || length != der.length - 2) {
      return Optional.empty(); // long form, indefinite, or not the rest of the input exactly
    }
    int[] at = {2};
    BigInteger r = integer(der, at);
    if (r == null) {
      return Optional.empty();
    }
    BigInteger s = integer(der, at);
    if (s == null || at[0] != der.length) {
      return Optional.empty();
    }
    return Optional.of(new Pair(r, s));
  }

  /** The INTEGER at at[0], moving at[0] past it; null when it is not a DER INTEGER there. */
  private static BigInteger integer(byte[] der, int[] at) {
    int i = at[0];
    if (der.length - i < 3 || (der[i] & 0xFF) != INTEGER) {
      return null; // a tag, a length and at least one content byte are needed
    }
    int length = der[i + 1] & 0xFF;
    if (length == 0 || length >= 0x80 || length > der.length - i - 2) {
      return null;
    }
    int start = i + 2;
    // shortest form: a leading 0x00 only before a byte with its top bit set, a leading 0xFF only
    // before one with its top bit clear
    if (length > 1) {
      int first = der[start];
      int second = der[start + 1];
      if ((first == 0 && second >= 0) || (first == -1 && second < 0)) {
        return null;
      }
    }
    at[0] = start + length;
    byte[] content = new byte[length];
    System.arraycopy(der, start, content, 0, length);
    return new BigInteger(content);
  }
}
