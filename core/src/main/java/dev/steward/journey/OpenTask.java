package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * A human task an enrolment waits on.
 *
 * @param id the task's id, for {@link JourneyScheduler#completeTask}
 * @param owner the owner, from the contact's owner attribute; empty when the contact has none
 * @param template the suggested email's template, if any
 * @param dueAt when the task is overdue and the journey goes on without it
 */
public record OpenTask(
    TenantId tenant,
    String id,
    ContactId contact,
    String journey,
    String step,
    String task,
    Optional<String> owner,
    Optional<String> template,
    Instant dueAt) {}
