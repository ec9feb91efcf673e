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
import org.junit.jupiter.api.Test;

/**
 * Project Wycheproof's ECDSA P-256 / SHA-256 vectors (test resources, Apache 2.0): every "valid"
 * signature is accepted and every "invalid" one refused. The file has no "acceptable" vectors; the
 * BER-encoded ones are "invalid" and our rule refuses them as MALFORMED (strict DER only, see
 * EcdsaDer), which this test also asserts.
 */
class P256WycheproofTest {
  private static final String FILE = "/wycheproof/ecdsa_secp256r1_sha256_test.json";

  @Test
  void theFileIsWhole() throws IOException {
    JsonNode root = load();
    int count = 0;
    for (JsonNode group : root.get("testGroups")) {
      count += group.get("tests").size();
    }
    assertThat(root.get("algorithm").asText()).isEqualTo("ECDSA");
    assertThat(count).isEqualTo(root.get("numberOfTests").asInt()).isEqualTo(471);
  }

  @Test
  void everyValidVectorIsAcceptedAndEveryInvalidOneRefused() throws Exception {
    JsonNode root = load();
    HexFormat hex = HexFormat.of();
    List<String> failures = new ArrayList<>();
    Set<Integer> jdkDisagrees = new TreeSet<>();
    int valid = 0;
    int invalid = 0;
    for (JsonNode group : root.get("testGroups")) {
      JsonNode key = group.get("publicKey");
      assertThat(key.get("curve").asText()).isEqualTo("secp256r1");
      assertThat(group.get("sha").asText()).isEqualTo("SHA-256");
      BigInteger x = new BigInteger(key.get("wx").asText(), 16);
      BigInteger y = new BigInteger(key.get("wy").asText(), 16);
      P256Verifier verifier = P256Verifier.of(x, y);
      PublicKey jdkKey =
          KeyFactory.getInstance("EC")
              .generatePublic(
                  new X509EncodedKeySpec(hex.parseHex(group.get("publicKeyDer").asText())));
      for (JsonNode test : group.get("tests")) {
        int id = test.get("tcId").asInt();
        byte[] msg = hex.parseHex(test.get("msg").asText());
        byte[] sig = hex.parseHex(test.get("sig").asText());
        String expected = test.get("result").asText();
        P256Verifier.Outcome outcome =
            verifier.verify(P256VerifierDifferentialTest.sha256(msg), sig);
        boolean accepted = outcome == P256Verifier.Outcome.VALID;
        switch (expected) {
          case "valid" -> {
            valid++;
            if (!accepted) {
              failures.add("tcId " + id + " valid but " + outcome + ": " + test.get("comment"));
            }
          }
          case "invalid" -> {
            invalid++;
            if (accepted) {
              failures.add("tcId " + id + " invalid but accepted: " + test.get("comment"));
            }
          }
          default -> failures.add("tcId " + id + " has result " + expected + ", not handled");
        }
        if (hasFlag(test, "BerEncodedSignature") && outcome != P256Verifier.Outcome.MALFORMED) {
          failures.add("tcId " + id + " is BER, not DER, but was " + outcome);
        }
        if (jdk(jdkKey, msg, sig) != accepted) {
          jdkDisagrees.add(id);
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid).isEqualTo(170);
    assertThat(invalid).isEqualTo(301);
    // for information: where the JDK 17 verifier answers otherwise (none expected but lenient DER)
    System.out.println("Wycheproof tcIds where JDK SHA256withECDSA disagrees: " + jdkDisagrees);
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

  private static JsonNode load() throws IOException {
    try (InputStream in = P256WycheproofTest.class.getResourceAsStream(FILE)) {
      assertThat(in).as(FILE).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }
}
