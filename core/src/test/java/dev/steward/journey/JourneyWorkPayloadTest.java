package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The journey step payload's direct reading agrees with the strict JSON parser: the same number for
 * every payload both read, and a payload it does not read exactly goes to the parser (and its
 * refusal).
 */
class JourneyWorkPayloadTest {

  @Test
  void everyEncodedSequenceNumberIsReadBackDirectly() {
    Random random = new Random(14);
    List<Integer> seqs = new java.util.ArrayList<>(List.of(0, 1, 9, 10, 199, Integer.MAX_VALUE));
    for (int i = 0; i < 1_000; i++) {
      seqs.add(random.nextInt(Integer.MAX_VALUE));
    }
    for (int seq : seqs) {
      String json = JourneyWork.encodeSeq(seq);
      assertThat(JourneyWork.plainSeq(json)).as(json).isEqualTo(seq);
      assertThat(JourneyWork.decodeSeq(json, 1)).as(json).isEqualTo(seq);
      assertThat(JourneyWork.strictSeq(json, 1)).as(json).isEqualTo(seq);
    }
  }

  @Test
  void payloadsNotWrittenByTheEncoderAreLeftToTheStrictParserAndAnsweredAlike() {
    // read by the parser, not directly: the same answer either way
    for (String json : List.of("{ \"seq\": 7 }", "{\"seq\":7.0}", "{\"seq\" : 3}")) {
      assertThat(JourneyWork.plainSeq(json)).as(json).isEqualTo(-1);
      assertThat(JourneyWork.decodeSeq(json, 1)).as(json).isEqualTo(JourneyWork.strictSeq(json, 1));
    }
    // refused by the parser, and so refused, not read directly
    for (String json :
        List.of(
            "{\"seq\":01}",
            "{\"seq\":-1x}",
            "{\"seq\":}",
            "{\"seq\":2147483648}",
            "{\"seq\":12345678901}",
            "{\"seq\":1}}",
            "{\"seq\":\"1\"}",
            "{\"seq\":1,\"seq\":2}",
            "")) {
      assertThat(JourneyWork.plainSeq(json)).as(json).isEqualTo(-1);
      assertThatThrownBy(() -> JourneyWork.decodeSeq(json, 1))
          .as(json)
          .isInstanceOf(IllegalArgumentException.class);
    }
    // another payload version is never read directly
    assertThatThrownBy(() -> JourneyWork.decodeSeq("{\"seq\":1}", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v2");
  }
}
