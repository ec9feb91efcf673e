package dev.steward.sendgrid.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Project Wycheproof's ECDSA P-256 / SHA-256 vectors (test resources, Apache 2.0; both the current
 * {@code testvectors_v1} file and the older {@code testvectors} one): every "valid" signature is
 * accepted and every "invalid" one refused.
 *
 * <p>The rule for the rest: only strict DER is read, and a DER INTEGER is two's complement. So the
 * one "acceptable" vector (the older file's tcId 2, s encoded without the zero byte its top bit
 * needs, which some libraries, the JDK among them, read as the positive value) is a negative s to
 * us: refused as INVALID (out of range), the webhook's BAD_SIGNATURE. Every vector flagged as a BER
 * encoding is refused as MALFORMED, never re-read as its (r, s).
 */
class P256WycheproofTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/wycheproof/testvectors_v1/ecdsa_secp256r1_sha256_test.json, 471, 170, 301, 0",
    "/wycheproof/testvectors/ecdsa_secp256r1_sha256_test.json, 387, 147, 239, 1"
  })
  void everyValidVectorIsAcceptedAndEveryOtherOneRefused(
      String file, int tests, int validCount, int invalidCount, int acceptableCount)
      throws Exception {
    JsonNode root = load(file);
    assertThat(root.get("algorithm").asText()).isEqualTo("ECDSA");
    assertThat(root.get("numberOfTests").asInt()).isEqualTo(tests);
    List<String> failures = new ArrayList<>();
    Set<Integer> jdkDisagrees = new TreeSet<>();
    int valid = 0;
    int invalid = 0;
    int acceptable = 0;
    for (JsonNode group : root.get("testGroups")) {
      // the v1 files name the key "publicKey", the older ones "key"
      JsonNode key = group.has("publicKey") ? group.get("publicKey") : group.get("key");
      String der = group.has("publicKeyDer") ? "publicKeyDer" : "keyDer";
      assertThat(key.get("curve").asText()).isEqualTo("secp256r1");
      assertThat(group.get("sha").asText()).isEqualTo("SHA-256");
      P256Verifier verifier =
          P256Verifier.of(
              new BigInteger(key.get("wx").asText(), 16),
              new BigInteger(key.get("wy").asText(), 16));
      PublicKey jdkKey =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(HEX.parseHex(group.get(der).asText())));
      for (JsonNode test : group.get("tests")) {
        int id = test.get("tcId").asInt();
        byte[] msg = HEX.parseHex(test.get("msg").asText());
        byte[] sig = HEX.parseHex(test.get("sig").asText());
        P256Verifier.Outcome outcome =
            verifier.verify(P256VerifierDifferentialTest.sha256(msg), sig);
        boolean accepted = outcome == P256Verifier.Outcome.VALID;
        String what = file + " tcId " + id + " (" + test.get("comment").asText() + ")";
        switch (test.get("result").asText()) {
          case "valid" -> {
            valid++;
            if (!accepted) {
              failures.add(what + ": valid but " + outcome);
            }
          }
          case "invalid" -> {
            invalid++;
            if (accepted) {
              failures.add(what + ": invalid but accepted");
            }
          }
          case "acceptable" -> {
            acceptable++;
            if (outcome != P256Verifier.Outcome.INVALID) {
              failures.add(what + ": acceptable (a negative s to DER) but " + outcome);
            }
          }
          default -> failures.add(what + ": result " + test.get("result") + " not handled");
        }
        if ((hasFlag(test, "BerEncodedSignature") || hasFlag(test, "BER"))
            && outcome != P256Verifier.Outcome.MALFORMED) {
          failures.add(what + ": BER, not DER, but " + outcome);
        }
        if (jdk(jdkKey, msg, sig) != accepted) {
          jdkDisagrees.add(id);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid + invalid + acceptable).isEqualTo(tests);
    assertThat(valid).isEqualTo(validCount);
    assertThat(invalid).isEqualTo(invalidCount);
    assertThat(acceptable).isEqualTo(acceptableCount);
    // for information: where JDK 17's SHA256withECDSA answers otherwise (it reads an INTEGER that
    // lacks its leading zero, and it refuses a valid signature whose R has x above n)
    System.out.println(file + ": tcIds where the JDK's verifier disagrees: " + jdkDisagrees);
  }

  private static boolean hasFlag(JsonNode test, String flag) {
    for (JsonNode f : test.get("flags")) {
      if (f.asText().equals(flag)) {
        return true;
      }
    }
    return false;
  }

  private static boolean jdk(PublicKey key, byte[] msg, byte[] sig) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(key);
      s.update(msg);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException refused) {
      return false;
    }
  }

  private static JsonNode load(String file) throws IOException {
    try (InputStream in = P256WycheproofTest.class.getResourceAsStream(file)) {
      assertThat(in).as(file).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }
}
