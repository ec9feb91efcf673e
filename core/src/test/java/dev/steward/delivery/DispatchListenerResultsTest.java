package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Message;
import dev.steward.testing.Messages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * {@link DispatchListener#onResults}: a listener that does not read in batches hears each result of
 * a group as if told alone (in order, with the message in the MDC, all of them even when one
 * throws), and the first failure reaches the dispatcher, which logs it.
 */
class DispatchListenerResultsTest {
  private static DispatchResult sent(Message m) {
    return new DispatchResult(m, DispatchStatus.SENT, Decision.allow(List.of()), null);
  }

  @Test
  void eachResultIsToldAloneInOrderEvenAfterOneThrows() {
    List<DispatchResult> results =
        List.of(
            sent(Messages.promo("c1").build()),
            sent(Messages.promo("c2").build()),
            sent(Messages.promo("c3").build()));
    List<String> heard = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("c2's listener failed");
    DispatchListener listener =
        new DispatchListener() {
          @Override
          public void onResult(DispatchResult r) {
            heard.add(r.message().contact().value() + " " + MDC.get(DispatchMdc.MESSAGE));
            if (r.message().contact().value().equals("c2")) {
              throw boom;
            }
          }
        };

    assertThatThrownBy(() -> listener.onResults(results)).isSameAs(boom);

    assertThat(heard)
        .containsExactly(
            "c1 " + results.get(0).message().id().value(),
            "c2 " + results.get(1).message().id().value(),
            "c3 " + results.get(2).message().id().value());
    assertThat(MDC.get(DispatchMdc.MESSAGE)).isNull(); // as it was before
  }

  @Test
  void aListenerThatThrowsTwiceReportsTheFirstWithTheSecondSuppressed() {
    List<DispatchResult> results =
        List.of(sent(Messages.promo("c1").build()), sent(Messages.promo("c2").build()));
    DispatchListener listener =
        new DispatchListener() {
          @Override
          public void onResult(DispatchResult r) {
            throw new IllegalStateException(r.message().contact().value());
          }
        };

    assertThatThrownBy(() -> listener.onResults(results))
        .hasMessage("c1")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .hasFieldOrPropertyWithValue("message", "c2"));
  }
}
