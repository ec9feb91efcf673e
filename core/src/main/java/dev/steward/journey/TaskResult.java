package dev.steward.journey;

import dev.steward.delivery.DispatchResult;
import java.util.Optional;

/**
 * A completed human task and, when its email was sent, what the dispatcher said (SENT, DEFERRED to
 * a later slot by a cap, SUPPRESSED by consent, ...).
 */
public record TaskResult(JourneyTask task, Optional<DispatchResult> dispatch) {}
